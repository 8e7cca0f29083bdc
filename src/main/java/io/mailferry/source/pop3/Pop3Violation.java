package io.mailferry.source.pop3;

import java.io.IOException;

/**
 * The server broke the POP3 protocol beyond a bound we keep (a line without end, a listing without
 * end, a message far longer than it said). Not a lost connection: running again would meet the same
 * server, so it becomes exit 76, never the temporary 75 and its retries.
 */
final class Pop3Violation extends IOException {
  private static final long serialVersionUID = 1L;

  /**
   * @param what what the server did, as the end of "the server ..." (its words escaped)
   */
  Pop3Violation(String what) {
    super(what);
  }
}

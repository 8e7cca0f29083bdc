package io.mailferry.net;

import org.eclipse.angus.mail.iap.BadCommandException;
import org.eclipse.angus.mail.iap.CommandFailedException;

/**
 * A command the server answered with a tagged NO or BAD: its own words, without the tag. Such a
 * refusal concerns that one command (a folder name, a folder it cannot open), unlike a lost
 * connection, so it is no reason to retry nor to stop the whole run.
 */
public final class ServerRefusal {

  private ServerRefusal() {}

  /**
   * The server's words when {@code failure} holds a tagged NO or BAD that is not a request to slow
   * down (those are waited out and retried); else null.
   */
  public static String words(Throwable failure) {
    for (Throwable t = failure; t != null; t = next(t)) {
      if (t instanceof CommandFailedException || t instanceof BadCommandException) {
        if (failure instanceof Exception e && ConnectionFailures.throttleSignal(e) != null) {
          return null;
        }
        return strip(t.getMessage());
      }
      // Angus's own checks before it sends SELECT/EXAMINE, after a LIST of that folder alone.
      if (t instanceof jakarta.mail.FolderNotFoundException) {
        return "the server does not list it any more";
      }
      if (t instanceof jakarta.mail.MessagingException
          && "folder cannot contain messages".equals(t.getMessage())) {
        return "the server lists it \\Noselect (it cannot hold messages)";
      }
    }
    return null;
  }

  /** "A12 NO [CANNOT] Bad name (0.001 + 0.000 secs)." → "[CANNOT] Bad name". */
  public static String strip(String taggedLine) {
    // Angus gives the whole tagged line ("A12 NO [LIMIT] …"): keep the server's words.
    String reason = String.valueOf(taggedLine).strip().replaceFirst("^\\S+ (NO|BAD) ", "");
    // Dovecot appends its timing ("(0.001 + 0.000 secs)."): not the user's business.
    return reason
        .replaceFirst("\\s*\\(\\d+\\.\\d+ \\+ [^)]*secs\\)\\.?$", "")
        .replaceFirst("\\.$", "");
  }

  private static Throwable next(Throwable t) {
    Throwable n =
        t instanceof jakarta.mail.MessagingException me && me.getNextException() != null
            ? me.getNextException()
            : t.getCause();
    return n == t ? null : n;
  }
}

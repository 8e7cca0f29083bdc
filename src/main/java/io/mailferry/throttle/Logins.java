package io.mailferry.throttle;

import java.time.Duration;

/**
 * The spacing of logins to one host: in one process a {@link LoginSpacing}; with remote workers the
 * slots come from the job store, so that logins of every worker together are spaced.
 */
public interface Logins {

  /** Waits for this login's slot. */
  void awaitTurn();

  /** Widens the spacing to at least this. */
  void atLeast(Duration interval);
}

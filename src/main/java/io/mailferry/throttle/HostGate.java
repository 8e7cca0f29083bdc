package io.mailferry.throttle;

/**
 * What every connection of one side (source or destination) to one host passes, whatever its
 * account: the host's connection budget, the spacing of logins and the host's rates. Shared by
 * every migration of the process that talks to that host; see {@link HostGates}.
 */
public final class HostGate {

  private final String key;
  private final HostBudget budget;
  private final Logins logins;
  private final Rate bytes;
  private final Rate messages;
  private int users;

  HostGate(String key, Limits t, HostBudget.Factory budgets, Rates rates) {
    this.key = key;
    this.budget = t.maxHostConnections() > 0 ? budgets.budget(key, t.maxHostConnections()) : null;
    this.logins = rates.logins(key + " logins", t.loginInterval());
    this.bytes =
        t.hostBytesPerSecond() > 0 ? rates.rate(key + " bytes", t.hostBytesPerSecond()) : null;
    this.messages =
        t.hostMessagesPerSecond() > 0
            ? rates.rate(key + " messages", t.hostMessagesPerSecond())
            : null;
  }

  String key() {
    return key;
  }

  /**
   * Another migration joins with its own limits: the strictest wins. (A limit the first one did not
   * set is not added later: set host limits the same for every account of a bulk run.)
   */
  synchronized void join(Limits t) {
    users++;
    if (budget != null) {
      budget.atMost(t.maxHostConnections());
    }
    logins.atLeast(t.loginInterval());
    if (bytes != null) {
      bytes.atMost(t.hostBytesPerSecond());
    }
    if (messages != null) {
      messages.atMost(t.hostMessagesPerSecond());
    }
  }

  /**
   * @return whether this was the last user
   */
  synchronized boolean leave() {
    return --users == 0;
  }

  public HostBudget budget() {
    return budget == null ? HostBudget.UNLIMITED : budget;
  }

  /** The most connections open to this host at one time, or -1 without a host cap. */
  public int peakConnections() {
    return budget == null ? -1 : budget.peakConnections();
  }

  public void awaitLogin() {
    logins.awaitTurn();
  }

  public void bytes(long n) {
    if (bytes != null) {
      bytes.take(n);
    }
  }

  public boolean pacesMessages() {
    return messages != null;
  }

  public void message() {
    if (messages != null) {
      messages.take(1);
    }
  }
}

package io.mailferry.throttle;

/**
 * --max-messages-per-second for one migration, and the per-host message rates of both its hosts:
 * each copied message waits for its turn in all of them. Closing it leaves the hosts' gates.
 */
public final class MessagePace implements AutoCloseable {

  private final Rate account;
  private final HostGate sourceHost;
  private final HostGate destinationHost;
  private boolean closed;

  /**
   * @param migration the migration's accounts, "from to to", which its message rate is keyed by
   * @param sourceHost the host whose message rates the source side counts against, or null when it
   *     has none (a local directory); {@code destinationHost} the same for the destination
   */
  public MessagePace(String migration, Limits t, String sourceHost, String destinationHost) {
    // Keyed by the migration's accounts ("a to b"): with remote workers its folders run on several
    // machines.
    this.account =
        t.messagesPerSecond() > 0
            ? HostGates.shared().rates().rate(migration + " messages", t.messagesPerSecond())
            : null;
    this.sourceHost = sourceHost == null ? null : HostGates.shared().join("source", sourceHost, t);
    this.destinationHost =
        destinationHost == null ? null : HostGates.shared().join("destination", destinationHost, t);
  }

  public boolean paced() {
    return account != null
        || (sourceHost != null && sourceHost.pacesMessages())
        || (destinationHost != null && destinationHost.pacesMessages());
  }

  public void next() {
    if (account != null) {
      account.take(1);
    }
    if (sourceHost != null) {
      sourceHost.message();
    }
    if (destinationHost != null) {
      destinationHost.message();
    }
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return; // the job's end and the bean's destruction both close the runtime
    }
    closed = true;
    if (sourceHost != null) {
      HostGates.shared().leave(sourceHost);
    }
    if (destinationHost != null) {
      HostGates.shared().leave(destinationHost);
    }
  }
}

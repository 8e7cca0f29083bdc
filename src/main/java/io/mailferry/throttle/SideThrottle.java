package io.mailferry.throttle;

import io.mailferry.mail.Endpoint;
import java.time.Duration;

/**
 * The throttles of one account on one side of a migration: its share of the host's gate, its own
 * byte rate on the wire, and its backoff. Closing it leaves the host's gate.
 */
public final class SideThrottle implements AutoCloseable {

  /** The first wait after a slow-down signal; it doubles while the signals keep coming. */
  static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);

  private final HostGate host;
  private final Rate bytes;
  private final Backoff backoff;
  private boolean closed;

  public SideThrottle(String side, Endpoint endpoint, Limits limits) {
    HostGates gates = HostGates.shared();
    this.host = gates.join(side, endpoint.host(), limits);
    // Keyed by the account: with remote workers its folders run on several machines.
    this.bytes =
        limits.bytesPerSecond() > 0
            ? gates
                .rates()
                .rate(side + " " + endpoint.account() + " bytes", limits.bytesPerSecond())
            : null;
    this.backoff = new Backoff(side, endpoint.host(), FIRST_BACKOFF, limits.maxBackoffWait());
  }

  public HostGate host() {
    return host;
  }

  public Backoff backoff() {
    return backoff;
  }

  /**
   * Counts bytes that crossed the wire, both ways, waiting while over this account's or the host's
   * rate.
   */
  public void onWire(long n) {
    if (bytes != null) {
      bytes.take(n);
    }
    host.bytes(n);
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      HostGates.shared().leave(host);
    }
  }
}

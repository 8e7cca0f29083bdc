package io.mailferry.throttle;

import java.time.Duration;

/**
 * Spaces the logins to one host: each takes the next free time slot, so a storm of reconnects
 * (every partition after a server restart) reaches the server as a trickle. Thread-safe.
 */
public final class LoginSpacing implements Logins {

  private long intervalNanos;
  private long nextFree = System.nanoTime();

  public LoginSpacing(Duration interval) {
    this.intervalNanos = interval.toNanos();
  }

  @Override
  public synchronized void atLeast(Duration interval) {
    intervalNanos = Math.max(intervalNanos, interval.toNanos());
  }

  @Override
  public void awaitTurn() {
    long wait;
    synchronized (this) {
      long now = System.nanoTime();
      long slot = Math.max(now, nextFree);
      nextFree = slot + intervalNanos;
      wait = slot - now;
    }
    Pause.nanos(wait);
  }
}

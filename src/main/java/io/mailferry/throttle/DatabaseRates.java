package io.mailferry.throttle;

import java.time.Duration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Rates and login spacings held in the shared PostgreSQL job store, so that they hold across every
 * worker on every machine, as {@link DatabaseHostSlots} does for the connection cap. One per
 * process; closing it puts the in-memory kind back for gates opened later.
 */
public final class DatabaseRates implements Rates, AutoCloseable {

  /** As {@link TokenBucket}: at most a tenth of a second of the rate saved up. */
  private static final double BURST_SECONDS = 0.1;

  /** Borrowed at once: the round trips of a process stay near ten a second per busy rate. */
  private static final double GRANT_SECONDS = 0.1;

  private final SharedBuckets buckets;

  public DatabaseRates(JdbcTemplate jdbc) {
    this.buckets = new SharedBuckets(jdbc);
  }

  @Override
  public Rate rate(String key, double perSecond) {
    return new SharedRate(buckets, key, perSecond, BURST_SECONDS, GRANT_SECONDS);
  }

  /**
   * A login spacing is a bucket of one login per interval holding one at most, each login borrowing
   * exactly its own: the next free slot, whichever process asks.
   */
  @Override
  public Logins logins(String key, Duration interval) {
    SharedRate slots = new SharedRate(buckets, key, perSecond(interval), 0, 0);
    return new Logins() {
      @Override
      public void awaitTurn() {
        slots.take(1);
      }

      @Override
      public void atLeast(Duration wider) {
        slots.atMost(perSecond(wider));
      }
    };
  }

  private static double perSecond(Duration interval) {
    return interval.isZero() || interval.isNegative()
        ? Double.POSITIVE_INFINITY
        : 1e9 / interval.toNanos();
  }

  @Override
  public void close() {
    HostGates.shared().dropRates(this);
    try {
      buckets.forgetIdle();
    } catch (RuntimeException e) {
      // Only tidying: a later process forgets them.
    }
  }
}

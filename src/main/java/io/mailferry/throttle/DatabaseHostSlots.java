package io.mailferry.throttle;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A per-host connection budget held in the shared PostgreSQL job store, so that it holds across
 * every worker on every machine. Each open connection is a row (host key, slot number) with an
 * expiry that its holder renews; when a process dies its rows expire and the slots are free again.
 * The slot numbers 0..cap-1 make the cap a primary key, not a count that two processes could both
 * read as "one left".
 */
public final class DatabaseHostSlots implements HostConnectionBudget, AutoCloseable {

  private static final long WAIT_MS = 200;

  private final JdbcTemplate jdbc;
  private final int cap;
  private final Duration lease;
  private final String holder;
  private final ScheduledExecutorService renewal;

  /**
   * @param cap connections per (side, host) across all processes
   * @param lease how long a slot stays taken after its holder stopped renewing it
   * @param holderName who holds the slots, for people reading the table (a worker id)
   */
  public DatabaseHostSlots(JdbcTemplate jdbc, int cap, Duration lease, String holderName) {
    if (cap < 1) {
      throw new IllegalArgumentException("the host connection cap must be at least 1");
    }
    this.jdbc = jdbc;
    this.cap = cap;
    this.lease = lease;
    // One holder per budget instance: two jobs in one process keep their slots apart.
    this.holder = holderName + "/" + UUID.randomUUID().toString().substring(0, 8);
    this.renewal = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "mailferry-host-slots");
      t.setDaemon(true);
      return t;
    });
    // Often: a holder too slow to renew in time would let another process over the cap.
    long every = Math.max(1, lease.toMillis() / 6);
    renewal.scheduleAtFixedRate(this::renew, every, every, TimeUnit.MILLISECONDS);
  }

  @Override
  public Permit acquire(String side, String host) throws InterruptedException {
    String key = side + " " + host;
    while (true) {
      for (int slot = 0; slot < cap; slot++) {
        if (take(key, slot)) {
          int taken = slot;
          return () -> release(key, taken);
        }
      }
      Thread.sleep(WAIT_MS);
    }
  }

  private boolean take(String key, int slot) {
    // The database's clock, not ours: machines whose clocks differ still agree on expiry.
    int inserted = jdbc.update("INSERT INTO mf_host_slot (host_key, slot, holder, expires_at) "
        + "VALUES (?, ?, ?, CURRENT_TIMESTAMP + make_interval(secs => ?)) ON CONFLICT DO NOTHING",
        key, slot, holder, seconds());
    if (inserted == 1) {
      return true;
    }
    return jdbc.update("UPDATE mf_host_slot SET holder = ?, expires_at = CURRENT_TIMESTAMP + make_interval(secs => ?) "
        + "WHERE host_key = ? AND slot = ? AND expires_at < CURRENT_TIMESTAMP", holder, seconds(), key, slot) == 1;
  }

  private void release(String key, int slot) {
    jdbc.update("DELETE FROM mf_host_slot WHERE host_key = ? AND slot = ? AND holder = ?", key, slot, holder);
  }

  private void renew() {
    try {
      jdbc.update("UPDATE mf_host_slot SET expires_at = CURRENT_TIMESTAMP + make_interval(secs => ?) WHERE holder = ?",
          seconds(), holder);
    } catch (RuntimeException e) {
      // The database is away for a moment: the next renewal tries again, well before expiry.
    }
  }

  private double seconds() {
    return lease.toMillis() / 1000.0;
  }

  @Override
  public void close() {
    renewal.shutdownNow();
    jdbc.update("DELETE FROM mf_host_slot WHERE holder = ?", holder);
  }
}

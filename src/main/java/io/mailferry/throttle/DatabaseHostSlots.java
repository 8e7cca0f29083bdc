package io.mailferry.throttle;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * Host budgets held in the shared PostgreSQL job store, so that a host's connection cap holds
 * across every worker on every machine. Each open connection is a row (host key, slot number) with
 * an expiry that this process renews; when a process dies its rows expire and the slots are free
 * again. The slot numbers 0..cap-1 make the cap a primary key, not a count that two processes could
 * both read as "one left".
 *
 * <p>One per process ({@link HostGates#budgets}); closing it gives back every slot it holds.
 */
public final class DatabaseHostSlots implements HostBudget.Factory, AutoCloseable {

  private static final long POLL_MILLIS = 200;

  private final JdbcTemplate jdbc;
  private final Duration lease;
  private final String holder;
  private final ScheduledExecutorService renewal;

  /**
   * @param lease how long a slot stays taken after its holder stopped renewing it
   * @param holderName who holds the slots, for people reading the table (a worker id)
   */
  public DatabaseHostSlots(JdbcTemplate jdbc, Duration lease, String holderName) {
    // Each slot taken or given back commits at once, not with the chunk being written when the
    // connection opens: uncommitted, another process's insert of the same slot would wait for
    // that chunk, and a rolled-back chunk would free a slot still in use. (See SharedBuckets.)
    this.jdbc = new JdbcTemplate(new DelegatingDataSource(jdbc.getDataSource()));
    this.lease = lease;
    this.holder = holderName + "/" + UUID.randomUUID().toString().substring(0, 8);
    this.renewal =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "mailferry-host-slots");
              t.setDaemon(true);
              return t;
            });
    // Often: a holder too slow to renew in time would let another process over the cap.
    long every = Math.max(1, lease.toMillis() / 6);
    renewal.scheduleAtFixedRate(this::renew, every, every, TimeUnit.MILLISECONDS);
  }

  @Override
  public HostBudget budget(String key, int cap) {
    if (cap < 1) {
      throw new IllegalArgumentException("the host connection cap must be at least 1");
    }
    return new Slots(key, cap);
  }

  /** The slots of one side and host that this process holds. */
  private final class Slots implements HostBudget {
    private final String key;
    private volatile int cap;
    private final Deque<Integer> held = new ArrayDeque<>();

    Slots(String key, int cap) {
      this.key = key;
      this.cap = cap;
    }

    @Override
    public boolean tryAcquire(long waitMillis) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
      while (true) {
        for (int slot = 0; slot < cap; slot++) {
          if (take(key, slot)) {
            synchronized (held) {
              held.push(slot);
            }
            return true;
          }
        }
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
          return false;
        }
        Thread.sleep(Math.min(POLL_MILLIS, left));
      }
    }

    @Override
    public void release() {
      Integer slot;
      synchronized (held) {
        slot = held.poll();
      }
      if (slot != null) {
        jdbc.update(
            "DELETE FROM mf_host_slot WHERE host_key = ? AND slot = ? AND holder = ?",
            key,
            slot,
            holder);
      }
    }

    @Override
    public void atMost(int otherCap) {
      cap = Math.min(cap, otherCap);
    }

    /**
     * An idle connection here would hold a slot that a process on another machine may wait for; two
     * of them each holding idle what the other waits for would wait forever.
     */
    @Override
    public boolean keepsIdle() {
      return false;
    }
  }

  private boolean take(String key, int slot) {
    // The database's clock, not ours: machines whose clocks differ still agree on expiry.
    int inserted =
        jdbc.update(
            "INSERT INTO mf_host_slot (host_key, slot, holder, expires_at) "
                + "VALUES (?, ?, ?, CURRENT_TIMESTAMP + make_interval(secs => ?)) ON CONFLICT DO NOTHING",
            key,
            slot,
            holder,
            seconds());
    if (inserted == 1) {
      return true;
    }
    return jdbc.update(
            "UPDATE mf_host_slot SET holder = ?, expires_at = CURRENT_TIMESTAMP + make_interval(secs => ?) "
                + "WHERE host_key = ? AND slot = ? AND expires_at < CURRENT_TIMESTAMP",
            holder,
            seconds(),
            key,
            slot)
        == 1;
  }

  private void renew() {
    try {
      jdbc.update(
          "UPDATE mf_host_slot SET expires_at = CURRENT_TIMESTAMP + make_interval(secs => ?) WHERE holder = ?",
          seconds(),
          holder);
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

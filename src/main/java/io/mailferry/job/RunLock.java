package io.mailferry.job;

import io.mailferry.mail.MailferryException;
import java.net.InetAddress;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Refuses to run a migration that another process is running now. The lock is a row in the job
 * store with a heartbeat, so it works across machines sharing PostgreSQL; a holder that died is
 * recognised at once on its own machine (its pid is gone), elsewhere once its heartbeat is old.
 */
@Component
public class RunLock {

  static final Duration HEARTBEAT = Duration.ofSeconds(10);
  static final Duration STALE_AFTER = Duration.ofSeconds(45);

  private final JdbcTemplate jdbc;
  private final String host = hostName();
  private final long pid = ProcessHandle.current().pid();

  public RunLock(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  /** Takes the lock for a pair, or throws AlreadyRunning. Close the result to release it. */
  public Held acquire(String pairKey) {
    List<Holder> holders =
        jdbc.query(
            "SELECT owner_host, owner_pid, heartbeat_at FROM mf_run_lock WHERE pair_key = ?",
            (rs, i) -> new Holder(rs.getString(1), rs.getLong(2), rs.getTimestamp(3).toInstant()),
            pairKey);
    for (Holder h : holders) {
      if (!h.isStale()) {
        throw new AlreadyRunning(
            "This migration is already running (process "
                + h.pid()
                + " on "
                + h.host()
                + "); wait for it to end, or stop it with Ctrl-C or kill, then run again.");
      }
      // Conditional delete: if another process took over the stale lock first, we delete nothing.
      jdbc.update(
          "DELETE FROM mf_run_lock WHERE pair_key = ? AND owner_host = ? AND owner_pid = ?",
          pairKey,
          h.host(),
          h.pid());
    }
    try {
      jdbc.update(
          "INSERT INTO mf_run_lock (pair_key, owner_host, owner_pid, heartbeat_at) VALUES (?, ?, ?, ?)",
          pairKey,
          host,
          pid,
          Timestamp.from(Instant.now()));
    } catch (DuplicateKeyException raced) {
      throw new AlreadyRunning(
          "This migration was started by another process a moment ago; run again once it ends.");
    }
    return new Held(pairKey);
  }

  /** The live process holding a pair's lock ("process 42 on host"), if one does. */
  public java.util.Optional<String> holder(String pairKey) {
    return jdbc
        .query(
            "SELECT owner_host, owner_pid, heartbeat_at FROM mf_run_lock WHERE pair_key = ?",
            (rs, i) -> new Holder(rs.getString(1), rs.getLong(2), rs.getTimestamp(3).toInstant()),
            pairKey)
        .stream()
        .filter(h -> !h.isStale())
        .findFirst()
        .map(h -> "process " + h.pid() + " on " + h.host());
  }

  private record Holder(String host, long pid, Instant heartbeat) {
    boolean isStale() {
      if (host.equals(hostName()) && ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true)) {
        return true;
      }
      return heartbeat.isBefore(Instant.now().minus(STALE_AFTER));
    }
  }

  /** A held lock: keeps its heartbeat fresh until closed. */
  public final class Held implements AutoCloseable {
    private final String pairKey;
    private final ScheduledExecutorService beat =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "mailferry-run-lock");
              t.setDaemon(true);
              return t;
            });

    private Held(String pairKey) {
      this.pairKey = pairKey;
      beat.scheduleAtFixedRate(
          () ->
              jdbc.update(
                  "UPDATE mf_run_lock SET heartbeat_at = ? WHERE pair_key = ? AND owner_host = ? AND owner_pid = ?",
                  Timestamp.from(Instant.now()),
                  pairKey,
                  host,
                  pid),
          HEARTBEAT.toSeconds(),
          HEARTBEAT.toSeconds(),
          TimeUnit.SECONDS);
    }

    @Override
    public void close() {
      beat.shutdownNow();
      jdbc.update(
          "DELETE FROM mf_run_lock WHERE pair_key = ? AND owner_host = ? AND owner_pid = ?",
          pairKey,
          host,
          pid);
    }
  }

  /** 79: the same migration runs in another process. */
  public static final class AlreadyRunning extends MailferryException {
    private static final long serialVersionUID = 1L;

    public AlreadyRunning(String message) {
      super(79, message, null);
    }
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      return "localhost";
    }
  }
}

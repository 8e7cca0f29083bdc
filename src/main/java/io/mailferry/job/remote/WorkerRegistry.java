package io.mailferry.job.remote;

import java.time.LocalDateTime;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** The workers that said they are alive: one row each, with a heartbeat. */
@Component
public class WorkerRegistry {

  private final JdbcTemplate jdbc;

  public WorkerRegistry(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  void register(String workerId) {
    jdbc.update(
        "INSERT INTO mf_worker (worker_id, started_at, heartbeat_at) VALUES (?, CURRENT_TIMESTAMP, "
            + "CURRENT_TIMESTAMP) ON CONFLICT (worker_id) DO UPDATE SET started_at = CURRENT_TIMESTAMP, "
            + "heartbeat_at = CURRENT_TIMESTAMP",
        workerId);
  }

  void beat(String workerId) {
    jdbc.update(
        "UPDATE mf_worker SET heartbeat_at = CURRENT_TIMESTAMP WHERE worker_id = ?", workerId);
  }

  /** Forgets workers not heard of for this long (killed ones): status stops listing them. */
  void forgetSilent(java.time.Duration silence) {
    jdbc.update(
        "DELETE FROM mf_worker WHERE heartbeat_at < CURRENT_TIMESTAMP - make_interval(secs => ?)",
        (double) silence.toSeconds());
  }

  void unregister(String workerId) {
    jdbc.update("DELETE FROM mf_worker WHERE worker_id = ?", workerId);
  }

  /** Every registered worker, with how many seconds ago it was last heard of. */
  public List<Registered> workers() {
    return jdbc.query(
        "SELECT worker_id, started_at, EXTRACT(EPOCH FROM (CURRENT_TIMESTAMP - heartbeat_at)) "
            + "FROM mf_worker ORDER BY worker_id",
        (rs, i) ->
            new Registered(rs.getString(1), rs.getTimestamp(2).toLocalDateTime(), rs.getLong(3)));
  }

  public record Registered(String workerId, LocalDateTime startedAt, long silentSeconds) {}
}

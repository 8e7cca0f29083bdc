package io.mailferry.job.remote;

import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.integration.partition.StepExecutionRequest;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Which worker runs which partition, as rows with an expiry the worker keeps renewing. A worker
 * killed with SIGKILL stops renewing; once its lease is past, any manager or worker that looks
 * sends the partition again, and the next worker continues the same step execution from its last
 * committed chunk (the ledger and the destination matcher make what the dead worker half-did count
 * once).
 */
@Component
public class PartitionLeases {

  private static final Logger progress = LoggerFactory.getLogger("io.mailferry.progress");
  public static final String WORKERS_KEY = "workers";

  private final JdbcTemplate jdbc;
  private final TransactionTemplate tx;
  private final JobRepository repository;
  private final PartitionQueue queue;
  private final Duration lease;

  public PartitionLeases(
      JdbcTemplate jdbc,
      PlatformTransactionManager tm,
      JobRepository repository,
      PartitionQueue queue,
      @Value("${mailferry.lease-seconds:60}") long leaseSeconds) {
    this.jdbc = jdbc;
    this.tx = new TransactionTemplate(tm);
    this.repository = repository;
    this.queue = queue;
    this.lease = Duration.ofSeconds(leaseSeconds);
  }

  Duration lease() {
    return lease;
  }

  /**
   * Takes the next queued request and its lease in one transaction: if this process dies in
   * between, the request is back in the queue.
   */
  StepExecutionRequest takeNext(String workerId) {
    return tx.execute(
        status -> {
          StepExecutionRequest request = queue.poll();
          if (request == null) {
            return null;
          }
          StepExecution partition = repository.getStepExecution(request.getStepExecutionId());
          String folder =
              partition == null ? null : partition.getExecutionContext().getString("folder", null);
          int taken =
              jdbc.update(
                  "INSERT INTO mf_partition_lease (step_execution_id, job_execution_id, step_name, "
                      + "folder, worker_id, taken_at, expires_at) VALUES (?, ?, ?, ?, ?, CURRENT_TIMESTAMP, "
                      + "CURRENT_TIMESTAMP + make_interval(secs => ?)) ON CONFLICT DO NOTHING",
                  request.getStepExecutionId(),
                  partition == null ? 0 : partition.getJobExecutionId(),
                  partition == null ? request.getStepName() : partition.getStepName(),
                  folder,
                  workerId,
                  seconds());
          // Already leased: a duplicate request (sent again while its worker still ran); drop it.
          return taken == 1 ? request : null;
        });
  }

  /** Keeps this worker's leases alive; called well within the lease time. */
  void renew(String workerId) {
    jdbc.update(
        "UPDATE mf_partition_lease SET expires_at = CURRENT_TIMESTAMP + make_interval(secs => ?) "
            + "WHERE worker_id = ?",
        seconds(),
        workerId);
  }

  void release(long stepExecutionId, String workerId) {
    jdbc.update(
        "DELETE FROM mf_partition_lease WHERE step_execution_id = ? AND worker_id = ?",
        stepExecutionId,
        workerId);
  }

  /**
   * Partitions whose worker stopped renewing its lease: each is sent again, once, by whoever
   * removes the expired lease first. A partition that ended anyway is only released.
   */
  void reapExpired() {
    List<Expired> expired =
        jdbc.query(
            "SELECT step_execution_id, step_name, worker_id FROM mf_partition_lease "
                + "WHERE expires_at < CURRENT_TIMESTAMP",
            (rs, i) -> new Expired(rs.getLong(1), rs.getString(2), rs.getString(3)));
    for (Expired e : expired) {
      StepExecution partition = repository.getStepExecution(e.stepExecutionId());
      boolean unfinished =
          partition != null
              && partition.getStatus().isRunning()
              && partition.getJobExecution().isRunning();
      Boolean resent =
          tx.execute(
              status -> {
                int removed =
                    jdbc.update(
                        "DELETE FROM mf_partition_lease WHERE step_execution_id = ? AND worker_id = ? "
                            + "AND expires_at < CURRENT_TIMESTAMP",
                        e.stepExecutionId(),
                        e.workerId());
                if (removed == 1 && unfinished) {
                  // Same transaction: the lease goes and the request comes back together, or
                  // neither.
                  queue.send(
                      new StepExecutionRequest(
                          RemoteTransfer.requestStepName(), e.stepExecutionId()));
                  return true;
                }
                return false;
              });
      if (Boolean.TRUE.equals(resent)) {
        progress.info(
            "{} ({}): worker {} stopped renewing its lease; the partition is sent to another worker",
            e.stepName(),
            partition.getExecutionContext().getString("folder", "?"),
            e.workerId());
      }
    }
  }

  /** The partitions being run now, by worker: what status shows. */
  public List<Running> running() {
    return jdbc.query(
        "SELECT worker_id, job_execution_id, step_name, folder, taken_at, "
            + "expires_at < CURRENT_TIMESTAMP FROM mf_partition_lease ORDER BY worker_id, step_name",
        (rs, i) ->
            new Running(
                rs.getString(1),
                rs.getLong(2),
                rs.getString(3),
                rs.getString(4),
                rs.getTimestamp(5).toLocalDateTime(),
                rs.getBoolean(6)));
  }

  /** One partition a worker runs: its job execution, partition step, folder and since when. */
  public record Running(
      String workerId,
      long jobExecutionId,
      String stepName,
      String folder,
      java.time.LocalDateTime since,
      boolean expired) {}

  private record Expired(long stepExecutionId, String stepName, String workerId) {}

  private double seconds() {
    return lease.toMillis() / 1000.0;
  }
}

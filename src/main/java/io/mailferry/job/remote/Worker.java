package io.mailferry.job.remote;

import io.mailferry.config.MigrationSettings;
import io.mailferry.job.MigrateJobConfiguration;
import io.mailferry.job.MigrationParameters;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.integration.partition.StepExecutionRequest;
import org.springframework.batch.integration.partition.StepExecutionRequestHandler;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

/**
 * `mailferry worker`: takes partitions (one folder of one migration each) from the database queue
 * and runs them with the same folder step as a local run, through Spring Batch's
 * StepExecutionRequestHandler. Each partition runs with its job execution registered as the current
 * job, so the job-scoped MigrationRuntime (connections, ledger) is created per job execution on
 * this worker, shared by that job's partitions here, and closed by Spring Batch's job scope when
 * the last of them ends.
 */
@Component
public class Worker {

  private static final Logger progress = LoggerFactory.getLogger("io.mailferry.progress");
  private static final Logger log = LoggerFactory.getLogger(Worker.class);
  private static final long IDLE_POLL_MS = 500;

  private final JobRepository repository;
  private final PartitionLeases leases;
  private final WorkerRegistry registry;
  private final StepExecutionRequestHandler handler = new StepExecutionRequestHandler();
  private final WorkerJobScopes scopes = new WorkerJobScopes();
  private volatile boolean stopping;

  public Worker(
      JobRepository repository,
      PartitionLeases leases,
      WorkerRegistry registry,
      @Qualifier("folderStep") Step folderStep) {
    this.repository = repository;
    this.leases = leases;
    this.registry = registry;
    handler.setJobRepository(repository);
    handler.setStepLocator(
        name -> MigrateJobConfiguration.FOLDER_STEP.equals(name) ? folderStep : null);
  }

  /**
   * Runs until {@link #stop()}: {@code partitions} partitions at once.
   *
   * @param secrets called before a job's first partition with its settings; puts that job's secrets
   *     (from this worker's own environment) into the credentials, or throws
   */
  public void run(String workerId, int partitions, Consumer<MigrationSettings> secrets)
      throws InterruptedException {
    registry.register(workerId);
    ScheduledExecutorService heartbeat =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "mailferry-worker-heartbeat");
              t.setDaemon(true);
              return t;
            });
    long every = Math.max(1000, leases.lease().toMillis() / 3);
    heartbeat.scheduleWithFixedDelay(() -> beat(workerId), every, every, TimeUnit.MILLISECONDS);
    progress.info(
        "worker {} ready: {} partitions at once, lease {} s",
        workerId,
        partitions,
        leases.lease().toSeconds());
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < partitions; i++) {
      Thread t = new Thread(() -> takeUntilStopped(workerId, secrets), "mailferry-worker-" + i);
      t.start();
      threads.add(t);
    }
    try {
      for (Thread t : threads) {
        t.join();
      }
    } finally {
      heartbeat.shutdownNow();
      registry.unregister(workerId);
    }
  }

  /** Takes no more partitions; those running finish. */
  public void stop() {
    stopping = true;
  }

  public boolean stopping() {
    return stopping;
  }

  private void beat(String workerId) {
    try {
      registry.beat(workerId);
      leases.renew(workerId);
      leases.reapExpired();
      registry.forgetSilent(leases.lease().multipliedBy(10));
    } catch (RuntimeException e) {
      log.warn("Worker heartbeat failed (the job store is unreachable?): {}", e.getMessage());
    }
  }

  private void takeUntilStopped(String workerId, Consumer<MigrationSettings> secrets) {
    while (!stopping) {
      StepExecutionRequest request;
      try {
        request = leases.takeNext(workerId);
      } catch (RuntimeException e) {
        log.warn("Cannot read the partition queue: {}", e.getMessage());
        request = null;
      }
      if (request == null) {
        try {
          Thread.sleep(IDLE_POLL_MS);
        } catch (InterruptedException e) {
          return;
        }
        continue;
      }
      try {
        runPartition(workerId, request, secrets);
      } finally {
        leases.release(request.getStepExecutionId(), workerId);
      }
    }
  }

  private void runPartition(
      String workerId, StepExecutionRequest request, Consumer<MigrationSettings> secrets) {
    StepExecution partition = repository.getStepExecution(request.getStepExecutionId());
    if (partition == null
        || !partition.getStatus().isRunning()
        || !partition.getJobExecution().isRunning()) {
      return; // its job ended (failed, stopped) while the request waited: nothing to do
    }
    JobExecution job = partition.getJobExecution();
    String folder = partition.getExecutionContext().getString("folder", partition.getStepName());
    try {
      secrets.accept(MigrationParameters.fromParameters(job.getJobParameters()));
    } catch (RuntimeException e) {
      fail(partition, e);
      progress.error("{}: cannot run it here: {}", folder, e.getMessage());
      return;
    }
    stamp(partition, workerId);
    progress.info("{}: started on worker {} (job execution {})", folder, workerId, job.getId());
    scopes.enter(job);
    try {
      StepExecution done = handler.handle(request);
      progress.info(
          "{}: {} on worker {}",
          folder,
          done.getStatus().name().toLowerCase(java.util.Locale.ROOT),
          workerId);
    } catch (RuntimeException e) {
      log.error("{}: the partition could not run: {}", folder, e.getMessage());
    } finally {
      scopes.leave(job);
    }
  }

  /** Records in the partition which workers ran it, in order: the status view and tests read it. */
  private void stamp(StepExecution partition, String workerId) {
    var context = partition.getExecutionContext();
    String before = context.getString(PartitionLeases.WORKERS_KEY, "");
    context.putString(
        PartitionLeases.WORKERS_KEY, before.isEmpty() ? workerId : before + "," + workerId);
    repository.updateExecutionContext(partition);
  }

  /**
   * A partition this worker cannot run (no secret for its accounts): failed, so the manager stops.
   */
  private void fail(StepExecution partition, RuntimeException e) {
    partition.addFailureException(e);
    partition.setStatus(BatchStatus.FAILED);
    partition.setExitStatus(
        org.springframework.batch.core.ExitStatus.FAILED.addExitDescription(e.getMessage()));
    partition.setEndTime(java.time.LocalDateTime.now());
    repository.update(partition);
  }
}

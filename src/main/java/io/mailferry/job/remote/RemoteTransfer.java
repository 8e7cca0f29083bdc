package io.mailferry.job.remote;

import io.mailferry.job.FolderTransfer;
import io.mailferry.job.MigrateJobConfiguration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.integration.partition.MessageChannelPartitionHandler;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The manager's side of remote partitioning: the transfer step splits the plan into one partition
 * per folder as before, but instead of running them on local threads it sends one
 * StepExecutionRequest per partition on the database queue (Spring Batch's
 * MessageChannelPartitionHandler) and polls the job repository until every partition has ended.
 * While it waits it also sends again the partitions of workers that died.
 */
@Component
public class RemoteTransfer implements FolderTransfer {

  private static final Logger progress = LoggerFactory.getLogger("io.mailferry.progress");

  private final PartitionQueue queue;
  private final PartitionLeases leases;
  private final long pollMs;

  public RemoteTransfer(
      PartitionQueue queue,
      PartitionLeases leases,
      @Value("${mailferry.remote-poll-ms:1000}") long pollMs) {
    this.queue = queue;
    this.leases = leases;
    this.pollMs = pollMs;
  }

  /** The step name in every request: the one partition step a worker knows. */
  static String requestStepName() {
    return MigrateJobConfiguration.FOLDER_STEP;
  }

  @Override
  public Step managerStep(
      String name, JobRepository repository, Partitioner partitioner, Runnable beforeSend)
      throws Exception {
    MessageChannelPartitionHandler handler = new MessageChannelPartitionHandler();
    handler.setStepName(requestStepName());
    handler.setJobRepository(repository); // poll the job store for results: no reply channel
    handler.setPollInterval(pollMs);
    handler.setMessagingOperations(queue.template());
    handler.afterPropertiesSet();
    return new StepBuilder(name, repository)
        .partitioner(requestStepName(), partitioner)
        .partitionHandler(handler)
        .listener(new Reaper(beforeSend))
        .build();
  }

  /** Looks for expired leases every third of the lease time while the partitions run. */
  private final class Reaper implements StepExecutionListener {
    private final Runnable beforeSend;
    private ScheduledExecutorService timer;

    Reaper(Runnable beforeSend) {
      this.beforeSend = beforeSend;
    }

    @Override
    public void beforeStep(StepExecution step) {
      beforeSend.run();
      progress.info(
          "transfer: the folders go to the workers (mailferry worker --db ...); waiting for them");
      timer =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "mailferry-lease-reaper");
                t.setDaemon(true);
                return t;
              });
      long every = Math.max(1000, leases.lease().toMillis() / 3);
      timer.scheduleWithFixedDelay(
          () -> {
            try {
              leases.reapExpired();
            } catch (RuntimeException e) {
              LoggerFactory.getLogger(RemoteTransfer.class)
                  .warn("Could not check the workers' leases: {}", e.getMessage());
            }
          },
          every,
          every,
          TimeUnit.MILLISECONDS);
    }

    @Override
    public ExitStatus afterStep(StepExecution step) {
      timer.shutdownNow();
      return null;
    }
  }
}

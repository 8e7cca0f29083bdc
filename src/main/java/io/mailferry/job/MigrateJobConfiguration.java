package io.mailferry.job;

import io.mailferry.config.Credentials;
import io.mailferry.config.MigrationSettings;
import io.mailferry.config.Throttling;
import io.mailferry.ledger.Ledger;
import io.mailferry.mail.MailferryException;
import io.mailferry.mail.MessageRef;
import io.mailferry.throttle.DatabaseHostSlots;
import io.mailferry.throttle.DatabaseRates;
import io.mailferry.throttle.HostGates;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.batch.core.configuration.annotation.JobScope;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.listener.ChunkListener;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.scope.context.JobSynchronizationManager;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The migrate job, top-down: quota (what is left to write against the destination's quota) → plan
 * (map folders, create them) → transfer (one partition per folder, chunks of messages) . The report
 * is built from the partitions' saved tallies.
 */
@Configuration(proxyBeanMethods = false)
public class MigrateJobConfiguration {

  public static final String JOB_NAME = "migrate";
  public static final String FOLDER_STEP = "copyFolder";

  @Bean
  Job migrateJob(
      JobRepository repository,
      Step quotaStep,
      Step planStep,
      Step mirrorStep,
      Step transferStep,
      MigrationRuntime runtime,
      LocalExecutions localExecutions,
      ProgressBoard progressBoard) {
    return new JobBuilder(JOB_NAME, repository)
        .start(quotaStep)
        .next(planStep)
        .next(mirrorStep)
        .next(transferStep)
        .listener(localExecutions)
        .listener(progressBoard)
        .listener(new RuntimeCloser(runtime, repository))
        .build();
  }

  /**
   * Before anything is written, and again on every restart (the quota may have changed): the
   * destination's quota against what is left to write.
   */
  @Bean
  Step quotaStep(
      JobRepository repository,
      PlatformTransactionManager tm,
      MigrationRuntime runtime,
      @Value("${mailferry.retries:4}") int retries,
      @Value("${mailferry.retry-delay-ms:1000}") long retryDelayMs) {
    return new StepBuilder("quota", repository)
        .tasklet(new QuotaTasklet(runtime, lostConnection(retries, retryDelayMs)), tm)
        .allowStartIfComplete(true)
        .build();
  }

  @Bean
  Step planStep(
      JobRepository repository,
      PlatformTransactionManager tm,
      MigrationRuntime runtime,
      @Value("${mailferry.retries:4}") int retries,
      @Value("${mailferry.retry-delay-ms:1000}") long retryDelayMs) {
    return new StepBuilder("plan", repository)
        .tasklet(new PlanTasklet(runtime, lostConnection(retries, retryDelayMs)), tm)
        .build();
  }

  /**
   * --mirror into an IMAP destination: the moves and expunges at the source, made at the
   * destination before anything is copied (a no-op without --mirror).
   */
  @Bean
  Step mirrorStep(
      JobRepository repository,
      PlatformTransactionManager tm,
      MigrationRuntime runtime,
      @Value("${mailferry.retries:4}") int retries,
      @Value("${mailferry.retry-delay-ms:1000}") long retryDelayMs) {
    return new StepBuilder("mirror", repository)
        .tasklet(new MirrorTasklet(runtime, lostConnection(retries, retryDelayMs), tm), tm)
        .build();
  }

  /**
   * At the start a host that cannot be reached or a TLS failure is a mistake to report now, not to
   * retry: only a connection lost half-way through is.
   */
  private static RetryTemplate lostConnection(int retries, long retryDelayMs) {
    return new RetryTemplate(
        backoff(retries, retryDelayMs).includes(MailferryException.Temporary.class).build());
  }

  /**
   * What to do when a connection breaks (a cut, a BYE, a timeout): try again on a new one, with
   * exponential backoff and jitter, a bounded number of times.
   */
  @Bean
  RetryPolicy reconnectPolicy(
      @Value("${mailferry.retries:4}") int retries,
      @Value("${mailferry.retry-delay-ms:1000}") long retryDelayMs) {
    return backoff(retries, retryDelayMs)
        .includes(MailferryException.Temporary.class, MailferryException.Unreachable.class)
        .build();
  }

  private static RetryPolicy.Builder backoff(int retries, long delayMs) {
    return RetryPolicy.builder()
        .maxRetries(retries)
        .delay(Duration.ofMillis(delayMs))
        .multiplier(2)
        .jitter(Duration.ofMillis(delayMs / 2))
        .maxDelay(Duration.ofSeconds(60));
  }

  /**
   * Job-scoped so that the number of folders copied at once follows this job's connection cap. With
   * --workers remote the folders go to worker processes instead of local threads.
   */
  @Bean
  @JobScope
  Step transferStep(
      JobRepository repository,
      Step folderStep,
      FolderPartitioner folderPartitioner,
      MigrationRuntime runtime,
      FolderTransfer remote,
      @Value("#{jobParameters['" + FolderTransfer.WORKERS_PARAMETER + "']}") String workers)
      throws Exception {
    if (FolderTransfer.REMOTE.equals(workers)) {
      return remote.managerStep("transfer", repository, folderPartitioner, runtime::close);
    }
    var executor = new SimpleAsyncTaskExecutor("mailferry-folder-");
    // Each folder holds one source and one destination connection while it copies.
    executor.setConcurrencyLimit(runtime.settings().maxConnections());
    return new StepBuilder("transfer", repository)
        .partitioner(FOLDER_STEP, folderPartitioner)
        .step(folderStep)
        .taskExecutor(executor)
        .build();
  }

  /**
   * Runs on the partition threads, where only the step scope is active: a singleton. A chunk whose
   * connection broke is retried on fresh connections, with exponential backoff and jitter; the
   * retry first matches what the failed attempt already stored, so nothing is sent twice.
   */
  @Bean
  Step folderStep(
      JobRepository repository,
      PlatformTransactionManager tm,
      @Value("${mailferry.chunk-size:100}") int chunkSize,
      RetryPolicy reconnect,
      FolderReader folderReader,
      CopyFilter copyFilter,
      CopyWriter copyWriter,
      FolderSession folderSession,
      ProgressBoard progressBoard) {
    FolderProgress progress = new FolderProgress(progressBoard, folderSession);
    return new StepBuilder(FOLDER_STEP, repository)
            .<MessageRef, MessageRef>chunk(chunkSize)
            .transactionManager(tm)
            .reader(folderReader)
            .processor(copyFilter)
            .writer(copyWriter)
            .faultTolerant()
            .retryPolicy(reconnect)
            // The filter counts what it drops; running it again on a retry would count twice.
            .processorNonTransactional()
            .stream(folderSession)
            .listener((StepExecutionListener) folderSession)
            .listener((StepExecutionListener) progress)
            .listener((ChunkListener<Object, Object>) progress)
            .listener(new StopWhenFull())
            .build();
  }

  @Bean
  @JobScope
  FolderPartitioner folderPartitioner(@Value("#{jobExecutionContext['plan']}") String plan) {
    return new FolderPartitioner(plan);
  }

  @Bean
  @StepScope
  FolderSession folderSession(
      MigrationRuntime runtime, @Value("#{stepExecution}") StepExecution partition) {
    // The folder comes from the plan saved in the job's context, found by the partition's name:
    // a partition's own context may be empty when a crash hit just as it was created.
    String plan = partition.getJobExecution().getExecutionContext().getString(PlanTasklet.PLAN_KEY);
    return new FolderSession(runtime, FolderPartitioner.folderOf(partition.getStepName(), plan));
  }

  @Bean
  @StepScope
  FolderReader folderReader(FolderSession folderSession, RetryPolicy reconnect) {
    return new FolderReader(folderSession, new RetryTemplate(reconnect));
  }

  @Bean
  @StepScope
  CopyFilter copyFilter(FolderSession folderSession) {
    return new CopyFilter(folderSession);
  }

  @Bean
  @StepScope
  CopyWriter copyWriter(FolderSession folderSession) {
    return new CopyWriter(folderSession);
  }

  /** The live connections of one job execution; closed when the job ends. */
  @Bean(destroyMethod = "close")
  @JobScope
  MigrationRuntime migrationRuntime(
      Credentials credentials,
      Ledger ledger,
      ThrottlingOverrides overrides,
      @Value("${mailferry.state-dir}") String stateDir,
      ObjectProvider<DatabaseHostSlots> sharedSlots,
      ObjectProvider<DatabaseRates> sharedRates) {
    var parameters = JobSynchronizationManager.getContext().getJobExecution().getJobParameters();
    MigrationSettings settings = overrides.apply(MigrationParameters.fromParameters(parameters));
    if (FolderTransfer.REMOTE.equals(parameters.getString(FolderTransfer.WORKERS_PARAMETER))) {
      settings = sharedHostCap(settings, sharedSlots.getObject());
      // Rates and login spacing too: the workers' folders of one account or host share them.
      HostGates.shared().rates(sharedRates.getObject());
    }
    return new MigrationRuntime(settings, credentials, ledger, Path.of(stateDir, "spool"));
  }

  /**
   * With remote workers the host caps are held in the job store, so that they hold across all
   * workers together. Without --max-host-connections the account's cap is also the host's: all
   * workers together open no more than one process would.
   */
  private static MigrationSettings sharedHostCap(
      MigrationSettings settings, DatabaseHostSlots slots) {
    HostGates.shared().budgets(slots);
    Throttling t = settings.throttling();
    if (t.maxHostConnections() > 0) {
      return settings;
    }
    return settings.withThrottling(
        settings.maxConnections(),
        new Throttling(
            t.preset(),
            settings.maxConnections(),
            t.loginInterval(),
            t.bytesPerSecond(),
            t.hostBytesPerSecond(),
            t.messagesPerSecond(),
            t.hostMessagesPerSecond(),
            t.maxMessageSize(),
            t.maxBackoffWait()));
  }

  /** One per process, made only when a remote run needs it: its table exists on PostgreSQL only. */
  @Bean(destroyMethod = "close")
  @Lazy
  DatabaseHostSlots databaseHostSlots(
      JdbcTemplate jdbc, @Value("${mailferry.lease-seconds:60}") long leaseSeconds) {
    return new DatabaseHostSlots(jdbc, Duration.ofSeconds(leaseSeconds), ProcessName.of());
  }

  /** One per process, made only when a remote run needs it, like the host slots. */
  @Bean(destroyMethod = "close")
  @Lazy
  DatabaseRates databaseRates(JdbcTemplate jdbc) {
    return new DatabaseRates(jdbc);
  }

  @Bean
  Ledger ledger(JdbcTemplate jdbc) {
    return new Ledger(jdbc);
  }
}

package io.mailferry.job;

import io.mailferry.config.MigrationSettings;
import io.mailferry.job.remote.RemoteTransfer;
import io.mailferry.mail.MailferryException;
import io.mailferry.quota.QuotaForecast;
import io.mailferry.report.FolderTally;
import io.mailferry.report.MigrationReport;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Starts a migration, or continues the last one of the same source and destination when it did
 * not complete. A completed migration is followed by a new instance: the ledger makes that
 * re-run copy only what is new.
 */
@Component
public class MigrationLauncher {

  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(MigrationLauncher.class);

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /**
   * A string job parameter naming the job file a run came from (set by job-file runs); shown by
   * status and in the report when present.
   */
  public static final String JOB_NAME_PARAMETER = "job.name";

  private final JobOperator operator;
  private final JobRepository repository;
  private final Job migrateJob;
  private final RunLock runLock;
  private final ThrottlingOverrides overrides;

  public MigrationLauncher(JobOperator operator, JobRepository repository, Job migrateJob, RunLock runLock,
      ThrottlingOverrides overrides) {
    this.operator = operator;
    this.repository = repository;
    this.migrateJob = migrateJob;
    this.runLock = runLock;
    this.overrides = overrides;
  }

  /** Runs the migration while holding its run lock: never two processes on one pair. */
  public JobExecution run(MigrationSettings settings) {
    return run(settings, null, false);
  }

  /** The same, for a run that comes from a job file: its name is kept with the run (status, report). */
  public JobExecution run(MigrationSettings settings, String jobName) {
    return run(settings, jobName, false);
  }

  /**
   * @param jobName the job file the run comes from, or null; kept with the run (status, report)
   * @param remoteWorkers this process is the manager: the folders are copied by `mailferry worker`
   *     processes sharing the PostgreSQL job store
   */
  public JobExecution run(MigrationSettings settings, String jobName, boolean remoteWorkers) {
    RunLock.Held lock = runLock.acquire(pairKey(settings.from().toString(), settings.to().toString()));
    try (lock) {
      return startOrContinue(settings, jobName, remoteWorkers);
    }
  }

  /** The job parameters of a run: the settings, and who copies the folders. */
  private static org.springframework.batch.core.job.parameters.JobParameters parameters(MigrationSettings settings,
      long run, String jobName, boolean remoteWorkers) {
    var parameters = named(MigrationParameters.toParameters(settings, run), jobName);
    if (!remoteWorkers) {
      return parameters;
    }
    return new org.springframework.batch.core.job.parameters.JobParametersBuilder(parameters)
        .addString(RemoteTransfer.WORKERS_PARAMETER, RemoteTransfer.REMOTE, false)
        .toJobParameters();
  }

  private static String pairKey(String from, String to) {
    return from + " → " + to;
  }

  /** How often a start that lost a serialization race in the job store is tried again. */
  private static final int START_ATTEMPTS = 8;

  private JobExecution startOrContinue(MigrationSettings settings, String jobName, boolean remoteWorkers) {
    for (int attempt = 1; ; attempt++) {
      try {
        return startOrContinueRecovering(settings, jobName, remoteWorkers);
      } catch (MailferryException.Temporary e) {
        // Spring Batch creates job instances in SERIALIZABLE transactions: on PostgreSQL two
        // accounts starting at the same moment (a bulk run, or two managers) can make one of them
        // fail to commit. Nothing of it was stored; start it again a little later.
        if (attempt == START_ATTEMPTS || !lostSerializationRace(e)) {
          throw e;
        }
        log.info("The job store was busy starting another migration; starting {} again.", settings.from());
        sleepQuietly(java.util.concurrent.ThreadLocalRandom.current().nextLong(50, 100L << attempt));
      }
    }
  }

  private static boolean lostSerializationRace(Throwable e) {
    for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
      if (t instanceof org.springframework.dao.ConcurrencyFailureException
          || String.valueOf(t.getMessage()).contains("could not serialize access")) {
        return true;
      }
    }
    return false;
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MailferryException.Temporary("Interrupted while starting the migration.", e);
    }
  }

  private JobExecution startOrContinueRecovering(MigrationSettings settings, String jobName, boolean remoteWorkers) {
    try {
      return startOrContinueOnce(settings, jobName, remoteWorkers);
    } catch (MailferryException.Temporary e) {
      // We hold the run lock, so no live process runs this pair. Right after a process died
      // mid-write, the job store can still show one of its executions as running (seen on
      // PostgreSQL after a halt during a graceful stop): read the state again, recover, retry once.
      if (!String.valueOf(e.getMessage()).contains("already running")) {
        throw e;
      }
      log.warn("The job store still showed the previous run as running; recovering it again.");
      recoverEveryRunningExecution(settings);
      return startOrContinueOnce(settings, jobName, remoteWorkers);
    }
  }

  private JobExecution startOrContinueOnce(MigrationSettings settings, String jobName, boolean remoteWorkers) {
    JobExecution last = lastExecution(settings);
    try {
      if (last == null) {
        return operator.start(migrateJob, parameters(settings, 1, jobName, remoteWorkers));
      }
      last = recoverIfCrashed(last);
      BatchStatus status = last.getStatus();
      long run = last.getJobParameters().getLong(MigrationParameters.RUN) + 1;
      if (status == BatchStatus.FAILED || status == BatchStatus.STOPPED) {
        if (MigrationParameters.sameValues(parameters(settings, run - 1, null, remoteWorkers),
            last.getJobParameters())) {
          // Caps and rates may differ from the stored ones: this run's values apply.
          overrides.put(settings);
          try {
            return operator.restart(last);
          } finally {
            overrides.remove(settings);
          }
        }
        // The user changed an option (a trusted certificate, a folder selection): a restart
        // would reuse the old ones. Start afresh instead; the ledger keeps it exactly once.
        operator.abandon(last);
      }
      return operator.start(migrateJob, parameters(settings, run, jobName, remoteWorkers));
    } catch (MailferryException e) {
      throw e;
    } catch (Exception e) {
      throw new MailferryException.Temporary("The job store refused to start the migration: " + e.getMessage(), e);
    }
  }

  /** Not identifying: the same pair run from the command line or from a job file is one migration. */
  private static org.springframework.batch.core.job.parameters.JobParameters named(
      org.springframework.batch.core.job.parameters.JobParameters parameters, String jobName) {
    if (jobName == null) {
      return parameters;
    }
    return new org.springframework.batch.core.job.parameters.JobParametersBuilder(parameters)
        .addString(JOB_NAME_PARAMETER, jobName, false).toJobParameters();
  }

  /** Continues a failed, stopped or crashed execution from its checkpoints. */
  public JobExecution resume(JobExecution execution) {
    var parameters = execution.getJobParameters();
    try {
      RunLock.Held lock = runLock.acquire(pairKey(parameters.getString(MigrationParameters.FROM),
          parameters.getString(MigrationParameters.TO)));
      try (lock) {
        return operator.restart(recoverIfCrashed(execution));
      }
    } catch (MailferryException e) {
      throw e;
    } catch (Exception e) {
      throw new MailferryException.Temporary("The job store refused to resume execution " + execution.getId()
          + ": " + e.getMessage(), e);
    }
  }

  /**
   * An execution still marked running although we hold its run lock was left by a process that
   * died (kill -9, a reboot): mark it failed (Spring Batch 6 recover) so it can be restarted.
   */
  private JobExecution recoverIfCrashed(JobExecution execution) {
    BatchStatus status = execution.getStatus();
    if (status == BatchStatus.STARTING || status == BatchStatus.STARTED || status == BatchStatus.STOPPING) {
      return operator.recover(execution);
    }
    if (execution.getStartTime() != null && execution.getEndTime() == null) {
      // Marked STOPPED by a graceful stop, then killed (a second signal) before it recorded its
      // end: the job store counts an execution without an end time as running. Close it.
      execution.setEndTime(java.time.LocalDateTime.now());
      repository.update(execution);
    }
    closeRunningSteps(execution);
    return execution;
  }

  /**
   * Steps of a killed execution can still be marked running (a partition stopping when the second
   * signal came): a restart refuses to run while one is. They failed; their checkpoints stay.
   */
  private void closeRunningSteps(JobExecution execution) {
    JobExecution stored = repository.getJobExecution(execution.getId());
    if (stored == null) {
      return;
    }
    for (StepExecution step : stored.getStepExecutions()) {
      if (step.getStatus().isRunning() || (step.getStartTime() != null && step.getEndTime() == null)) {
        if (step.getStatus().isRunning()) {
          step.setStatus(BatchStatus.FAILED);
          step.setExitStatus(org.springframework.batch.core.ExitStatus.FAILED
              .addExitDescription("the process ended before this step did"));
        }
        step.setEndTime(java.time.LocalDateTime.now());
        repository.update(step);
      }
    }
  }

  /** The process running this execution's migration now ("process 42 on host"), if one is. */
  public java.util.Optional<String> runningIn(JobExecution execution) {
    var parameters = execution.getJobParameters();
    return runLock.holder(pairKey(parameters.getString(MigrationParameters.FROM),
        parameters.getString(MigrationParameters.TO)));
  }

  /** Every migrate execution, newest first. */
  public List<JobExecution> executions() {
    List<JobExecution> all = new ArrayList<>();
    for (JobInstance instance : repository.getJobInstances(MigrateJobConfiguration.JOB_NAME, 0, Integer.MAX_VALUE)) {
      all.addAll(repository.getJobExecutions(instance));
    }
    all.sort(Comparator.comparingLong(JobExecution::getId).reversed());
    return all;
  }

  /** The execution with this id, or null when there is none. */
  public JobExecution execution(long id) {
    try {
      return repository.getJobExecution(id);
    } catch (org.springframework.dao.EmptyResultDataAccessException none) {
      return null; // the JDBC job repository throws where the interface promises null
    }
  }

  /** The newest execution of a migration between these two accounts, or null. */
  private void recoverEveryRunningExecution(MigrationSettings settings) {
    String from = settings.from().toString();
    String to = settings.to().toString();
    for (JobInstance instance : repository.getJobInstances(MigrateJobConfiguration.JOB_NAME, 0, Integer.MAX_VALUE)) {
      for (JobExecution execution : repository.getJobExecutions(instance)) {
        if (from.equals(execution.getJobParameters().getString(MigrationParameters.FROM))
            && to.equals(execution.getJobParameters().getString(MigrationParameters.TO))) {
          recoverIfCrashed(execution);
        }
      }
    }
  }

  JobExecution lastExecution(MigrationSettings settings) {
    String from = settings.from().toString();
    String to = settings.to().toString();
    for (JobInstance instance : repository.getJobInstances(MigrateJobConfiguration.JOB_NAME, 0, Integer.MAX_VALUE)) {
      JobExecution execution = repository.getLastJobExecution(instance);
      if (execution != null && from.equals(execution.getJobParameters().getString(MigrationParameters.FROM))
          && to.equals(execution.getJobParameters().getString(MigrationParameters.TO))) {
        return execution; // instances come newest first
      }
    }
    return null;
  }

  /** The report of an execution, with the tallies of every folder of its job instance. */
  public MigrationReport report(JobExecution execution) {
    Map<String, StepExecution> latest = new LinkedHashMap<>();
    List<JobExecution> executions = new ArrayList<>(repository.getJobExecutions(execution.getJobInstance()));
    executions.sort(Comparator.comparingLong(JobExecution::getId));
    for (JobExecution e : executions) {
      for (StepExecution step : e.getStepExecutions()) {
        if (step.getStepName().startsWith(MigrateJobConfiguration.FOLDER_STEP + ":")) {
          latest.put(step.getStepName(), step);
        }
      }
    }
    List<FolderTally> folders = new ArrayList<>();
    latest.keySet().stream().sorted().forEach(name -> {
      StepExecution step = latest.get(name);
      var context = step.getExecutionContext();
      if (context.containsKey("tally")) {
        FolderTally tally = JSON.readValue(context.getString("tally"), FolderTally.class);
        tally.state = step.getStatus().name();
        tally.started = instant(step.getStartTime());
        tally.ended = instant(step.getEndTime());
        tally.elapsedSeconds = MigrationReport.seconds(tally.started, tally.ended);
        folders.add(tally);
      }
    });
    JobExecution fresh = repository.getJobExecution(execution.getId());
    var ctx = fresh.getExecutionContext();
    return new MigrationReport(
        fresh.getJobParameters().getString(MigrationParameters.FROM),
        fresh.getJobParameters().getString(MigrationParameters.TO),
        fresh.getJobParameters().getString(JOB_NAME_PARAMETER),
        fresh.getId(),
        fresh.getStatus().name(),
        null,
        null,
        instant(fresh.getStartTime()),
        instant(fresh.getEndTime()),
        folders,
        ctx.containsKey(RuntimeCloser.PEAK_SOURCE) ? ctx.getInt(RuntimeCloser.PEAK_SOURCE) : 0,
        ctx.containsKey(RuntimeCloser.PEAK_DESTINATION) ? ctx.getInt(RuntimeCloser.PEAK_DESTINATION) : 0,
        forecast(ctx, QuotaTasklet.FORECAST_KEY),
        forecast(ctx, QuotaLeft.LEFT_KEY));
  }

  private static java.time.Instant instant(java.time.LocalDateTime time) {
    return time == null ? null : time.atZone(java.time.ZoneId.systemDefault()).toInstant();
  }

  private static QuotaForecast forecast(org.springframework.batch.infrastructure.item.ExecutionContext ctx, String key) {
    return ctx.containsKey(key) ? JSON.readValue(ctx.getString(key), QuotaForecast.class) : null;
  }
}

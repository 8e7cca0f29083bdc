package io.mailferry.job;

import io.mailferry.config.MigrationSettings;
import io.mailferry.mail.MailferryException;
import io.mailferry.report.MigrationReport;
import java.util.List;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.stereotype.Component;

/**
 * Starts a migration, or continues the last one of the same source and destination when it did not
 * complete ({@link RestartDecision}), holding the pair's run lock. What the job store holds is read
 * by {@link JobHistory}, runs a dead process left are recovered by {@link StaleExecutions}, reports
 * are read by {@link ReportAssembly}.
 */
@Component
public class MigrationLauncher {

  private static final org.slf4j.Logger log =
      org.slf4j.LoggerFactory.getLogger(MigrationLauncher.class);

  /**
   * A string job parameter naming the job file a run came from (set by job-file runs); shown by
   * status and in the report when present.
   */
  public static final String JOB_NAME_PARAMETER = "job.name";

  private final JobOperator operator;
  private final Job migrateJob;
  private final RunLock runLock;
  private final ThrottlingOverrides overrides;
  private final JobHistory history;
  private final StaleExecutions stale;
  private final ReportAssembly reports;

  public MigrationLauncher(
      JobOperator operator,
      JobRepository repository,
      Job migrateJob,
      RunLock runLock,
      ThrottlingOverrides overrides) {
    this.operator = operator;
    this.migrateJob = migrateJob;
    this.runLock = runLock;
    this.overrides = overrides;
    this.history = new JobHistory(repository);
    this.stale = new StaleExecutions(operator, repository);
    this.reports = new ReportAssembly(repository);
  }

  /**
   * Runs the migration while holding its run lock: never two processes on one pair.
   *
   * @param jobName the job file the run comes from, or null; kept with the run (status, report)
   * @param remoteWorkers this process is the manager: the folders are copied by `mailferry worker`
   *     processes sharing the PostgreSQL job store
   */
  JobExecution run(MigrationSettings settings, String jobName, boolean remoteWorkers) {
    RunLock.Held lock =
        runLock.acquire(pairKey(settings.from().toString(), settings.to().toString()));
    try (lock) {
      return StartRetry.onSerializationRace(
          () -> startOrContinueRecovering(settings, jobName, remoteWorkers), settings.from());
    }
  }

  /** The job parameters of a run: the settings, and who copies the folders. */
  private static JobParameters parameters(
      MigrationSettings settings, long run, String jobName, boolean remoteWorkers) {
    var parameters = named(MigrationParameters.toParameters(settings, run), jobName);
    if (!remoteWorkers) {
      return parameters;
    }
    return new JobParametersBuilder(parameters)
        .addString(FolderTransfer.WORKERS_PARAMETER, FolderTransfer.REMOTE, false)
        .toJobParameters();
  }

  private static String pairKey(String from, String to) {
    return from + " → " + to;
  }

  private JobExecution startOrContinueRecovering(
      MigrationSettings settings, String jobName, boolean remoteWorkers) {
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
      history
          .executions(settings.from().toString(), settings.to().toString())
          .forEach(stale::recover);
      return startOrContinueOnce(settings, jobName, remoteWorkers);
    }
  }

  private JobExecution startOrContinueOnce(
      MigrationSettings settings, String jobName, boolean remoteWorkers) {
    JobExecution last = history.last(settings.from().toString(), settings.to().toString());
    try {
      if (last != null) {
        last = stale.recover(last);
      }
      long run = last == null ? 1 : last.getJobParameters().getLong(MigrationParameters.RUN) + 1;
      boolean sameOptions =
          last != null
              && MigrationParameters.sameValues(
                  parameters(settings, run - 1, null, remoteWorkers), last.getJobParameters());
      switch (RestartDecision.of(
          last == null ? null : RunState.of(last.getStatus()), sameOptions)) {
        case RESTART -> {
          // Caps and rates may differ from the stored ones: this run's values apply.
          overrides.put(settings);
          try {
            return operator.restart(last);
          } finally {
            overrides.remove(settings);
          }
        }
        case ABANDON_AND_NEXT ->
            operator.abandon(last); // the ledger keeps the new run exactly once
        case FIRST, NEXT -> {}
      }
      return operator.start(migrateJob, parameters(settings, run, jobName, remoteWorkers));
    } catch (MailferryException e) {
      throw e;
    } catch (Exception e) {
      throw new MailferryException.Temporary(
          "The job store refused to start the migration: " + e.getMessage(), e);
    }
  }

  /**
   * Not identifying: the same pair run from the command line or from a job file is one migration.
   */
  private static JobParameters named(JobParameters parameters, String jobName) {
    if (jobName == null) {
      return parameters;
    }
    return new JobParametersBuilder(parameters)
        .addString(JOB_NAME_PARAMETER, jobName, false)
        .toJobParameters();
  }

  /** Continues a failed, stopped or crashed execution from its checkpoints. */
  JobExecution resume(JobExecution execution) {
    var parameters = execution.getJobParameters();
    try {
      RunLock.Held lock =
          runLock.acquire(
              pairKey(
                  parameters.getString(MigrationParameters.FROM),
                  parameters.getString(MigrationParameters.TO)));
      try (lock) {
        return operator.restart(stale.recover(execution));
      }
    } catch (MailferryException e) {
      throw e;
    } catch (Exception e) {
      throw new MailferryException.Temporary(
          "The job store refused to resume execution " + execution.getId() + ": " + e.getMessage(),
          e);
    }
  }

  /** The process running this pair's migration now ("process 42 on host"), if one is. */
  java.util.Optional<String> runningIn(String from, String to) {
    return runLock.holder(pairKey(from, to));
  }

  /** Every migrate execution, newest first. */
  List<JobExecution> executions() {
    return history.executions();
  }

  /** The execution with this id, or null when there is none. */
  JobExecution execution(long id) {
    return history.execution(id);
  }

  /** The report of an execution, with the tallies of every folder of its job instance. */
  MigrationReport report(long id) {
    return reports.report(id);
  }
}

package io.mailferry.job;

import io.mailferry.config.MigrationSettings;
import io.mailferry.job.remote.RemoteTransfer;
import io.mailferry.mail.MailferryException;
import io.mailferry.report.FolderTally;
import io.mailferry.report.MigrationReport;
import io.mailferry.report.QuotaForecast;
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

  private final JobOperator operator;
  private final JobRepository repository;
  private final Job migrateJob;
  private final RunLock runLock;

  public MigrationLauncher(JobOperator operator, JobRepository repository, Job migrateJob, RunLock runLock) {
    this.operator = operator;
    this.repository = repository;
    this.migrateJob = migrateJob;
    this.runLock = runLock;
  }

  /** Runs the migration while holding its run lock: never two processes on one pair. */
  public JobExecution run(MigrationSettings settings) {
    return run(settings, false);
  }

  /**
   * @param remoteWorkers this process is the manager: the folders are copied by `mailferry worker`
   *     processes sharing the PostgreSQL job store
   */
  public JobExecution run(MigrationSettings settings, boolean remoteWorkers) {
    try (var lock = runLock.acquire(pairKey(settings.from().toString(), settings.to().toString()))) {
      return startOrContinue(settings, remoteWorkers);
    }
  }

  /** The job parameters of a run: the settings, and who copies the folders. */
  private static org.springframework.batch.core.job.parameters.JobParameters parameters(MigrationSettings settings,
      long run, boolean remoteWorkers) {
    var parameters = MigrationParameters.toParameters(settings, run);
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

  private JobExecution startOrContinue(MigrationSettings settings, boolean remoteWorkers) {
    try {
      return startOrContinueOnce(settings, remoteWorkers);
    } catch (MailferryException.Temporary e) {
      // We hold the run lock, so no live process runs this pair. Right after a process died
      // mid-write, the job store can still show one of its executions as running (seen on
      // PostgreSQL after a halt during a graceful stop): read the state again, recover, retry once.
      if (!String.valueOf(e.getMessage()).contains("already running")) {
        throw e;
      }
      log.warn("The job store still showed the previous run as running; recovering it again.");
      recoverEveryRunningExecution(settings);
      return startOrContinueOnce(settings, remoteWorkers);
    }
  }

  private JobExecution startOrContinueOnce(MigrationSettings settings, boolean remoteWorkers) {
    JobExecution last = lastExecution(settings);
    try {
      if (last == null) {
        return operator.start(migrateJob, parameters(settings, 1, remoteWorkers));
      }
      last = recoverIfCrashed(last);
      BatchStatus status = last.getStatus();
      long run = last.getJobParameters().getLong(MigrationParameters.RUN) + 1;
      if (status == BatchStatus.FAILED || status == BatchStatus.STOPPED) {
        if (MigrationParameters.sameValues(parameters(settings, run - 1, remoteWorkers), last.getJobParameters())) {
          return operator.restart(last);
        }
        // The user changed an option (a trusted certificate, a folder selection): a restart
        // would reuse the old ones. Start afresh instead; the ledger keeps it exactly once.
        operator.abandon(last);
      }
      return operator.start(migrateJob, parameters(settings, run, remoteWorkers));
    } catch (MailferryException e) {
      throw e;
    } catch (Exception e) {
      throw new MailferryException.Temporary("The job store refused to start the migration: " + e.getMessage(), e);
    }
  }

  /** Continues a failed, stopped or crashed execution from its checkpoints. */
  public JobExecution resume(JobExecution execution) {
    var parameters = execution.getJobParameters();
    try (var lock = runLock.acquire(pairKey(parameters.getString(MigrationParameters.FROM),
        parameters.getString(MigrationParameters.TO)))) {
      return operator.restart(recoverIfCrashed(execution));
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
    return execution;
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

  public JobExecution execution(long id) {
    return repository.getJobExecution(id);
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
      var context = latest.get(name).getExecutionContext();
      if (context.containsKey("tally")) {
        folders.add(JSON.readValue(context.getString("tally"), FolderTally.class));
      }
    });
    JobExecution fresh = repository.getJobExecution(execution.getId());
    var ctx = fresh.getExecutionContext();
    return new MigrationReport(
        fresh.getJobParameters().getString(MigrationParameters.FROM),
        fresh.getJobParameters().getString(MigrationParameters.TO),
        fresh.getId(),
        fresh.getStatus().name(),
        fresh.getStartTime() == null ? null : fresh.getStartTime().atZone(java.time.ZoneId.systemDefault()).toInstant(),
        fresh.getEndTime() == null ? null : fresh.getEndTime().atZone(java.time.ZoneId.systemDefault()).toInstant(),
        folders,
        ctx.containsKey(RuntimeCloser.PEAK_SOURCE) ? ctx.getInt(RuntimeCloser.PEAK_SOURCE) : 0,
        ctx.containsKey(RuntimeCloser.PEAK_DESTINATION) ? ctx.getInt(RuntimeCloser.PEAK_DESTINATION) : 0,
        forecast(ctx, QuotaTasklet.FORECAST_KEY),
        forecast(ctx, QuotaLeft.LEFT_KEY));
  }

  private static QuotaForecast forecast(org.springframework.batch.infrastructure.item.ExecutionContext ctx, String key) {
    return ctx.containsKey(key) ? JSON.readValue(ctx.getString(key), QuotaForecast.class) : null;
  }
}

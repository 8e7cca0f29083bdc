package io.mailferry.job;

import io.mailferry.config.Credentials;
import io.mailferry.config.MigrationSettings;
import io.mailferry.config.QuotaPolicy;
import io.mailferry.ledger.Ledger;
import io.mailferry.quota.QuotaForecast;
import io.mailferry.quota.QuotaPreflight;
import io.mailferry.report.MigrationReport;
import io.mailferry.sync.MirrorPlan;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The job's front door: what the commands ask of a migration (start, continue, stop, what ran, its
 * report, a dry run's plan), in values. Spring Batch stays behind it.
 */
@Component
public class Migrations {

  private final MigrationLauncher launcher;
  private final JobOperator operator;
  private final JobRepository repository;
  private final LocalExecutions local;
  private final Ledger ledger;
  private final Environment environment;

  public Migrations(
      MigrationLauncher launcher,
      JobOperator operator,
      JobRepository repository,
      LocalExecutions local,
      Ledger ledger,
      Environment environment) {
    this.launcher = launcher;
    this.operator = operator;
    this.repository = repository;
    this.local = local;
    this.ledger = ledger;
    this.environment = environment;
  }

  /**
   * Starts the migration of these settings, or continues its last run when that did not complete,
   * and returns how the run ended.
   *
   * @param jobName the job file the run comes from, or null
   * @param remoteWorkers the folders are copied by `mailferry worker` processes
   */
  public MigrationRun start(MigrationSettings settings, String jobName, boolean remoteWorkers) {
    return MigrationRun.of(launcher.run(settings, jobName, remoteWorkers));
  }

  /** Continues a failed, stopped or crashed run from its checkpoints; returns how it ended. */
  public MigrationRun resume(MigrationRun run) {
    return MigrationRun.of(launcher.resume(launcher.execution(run.id())));
  }

  /** Asks every run of this process to stop after the chunks in flight. */
  public void stopLocalRuns() {
    for (long id : local.ids()) {
      try {
        JobExecution execution = repository.getJobExecution(id);
        if (execution != null) {
          operator.stop(execution);
        }
      } catch (Exception alreadyEnded) {
        // It finished between the request and now.
      }
    }
  }

  /** Every run, newest first. */
  public List<MigrationRun> runs() {
    return launcher.executions().stream().map(MigrationRun::of).toList();
  }

  /** The run with this id, if the job store has it. */
  public Optional<MigrationRun> run(long id) {
    return Optional.ofNullable(launcher.execution(id)).map(MigrationRun::of);
  }

  /** The settings a run was started with (passwords are not among them). */
  public MigrationSettings settings(MigrationRun run) {
    return MigrationParameters.fromParameters(launcher.execution(run.id()).getJobParameters());
  }

  /** The report of a run, with the tallies of every folder of its migration. */
  public MigrationReport report(MigrationRun run) {
    return launcher.report(run.id());
  }

  /** The process running this run's migration now ("process 42 on host"), if one is. */
  public Optional<String> runningIn(MigrationRun run) {
    return launcher.runningIn(run.from(), run.to());
  }

  /**
   * A dry run: what is left to copy, folder by folder, and (unless the quota policy ignores it) the
   * destination's quota forecast, or null. Reads the source, the destination's quota and the
   * ledger; writes nothing.
   */
  public Preview preview(MigrationSettings settings, Credentials credentials) {
    Path spool = Path.of(environment.getProperty("mailferry.state-dir"), "spool");
    try (MigrationRuntime runtime = new MigrationRuntime(settings, credentials, ledger, spool)) {
      List<FolderPlan> plan = MigrationPlanner.plan(runtime);
      PendingWork work = PendingWork.of(runtime, plan);
      QuotaForecast forecast =
          settings.quota().action() == QuotaPolicy.Action.IGNORE
              ? null
              : QuotaPreflight.forecast(runtime.sink(), work.folders());
      MirrorPlan.Result mirror =
          settings.mirror() && !runtime.sink().followsRemovals()
              ? MirrorPlan.decide(
                  MirrorSurvey.of(runtime, plan), settings.following().maxDeletePercent())
              : null;
      return new Preview(work, forecast, mirror);
    }
  }

  /**
   * What a dry run found: the work left, the quota forecast (null when the policy ignores quota),
   * and with --mirror into IMAP the moves and expunges the run would make (else null).
   */
  public record Preview(PendingWork work, QuotaForecast forecast, MirrorPlan.Result mirror) {}
}

package io.mailferry.job;

import io.mailferry.quota.QuotaForecast;
import io.mailferry.report.FolderTally;
import io.mailferry.report.MigrationReport;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import tools.jackson.databind.json.JsonMapper;

/**
 * A run's report as the job store has it: the tally each folder step kept (its newest execution
 * across the restarts of the migration), the connection peaks and the quota lines.
 */
final class ReportAssembly {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final JobRepository repository;

  ReportAssembly(JobRepository repository) {
    this.repository = repository;
  }

  /** The report of execution {@code id}, with the tallies of every folder of its job instance. */
  MigrationReport report(long id) {
    JobExecution fresh = repository.getJobExecution(id);
    Map<String, StepExecution> latest = new LinkedHashMap<>();
    List<JobExecution> executions =
        new ArrayList<>(repository.getJobExecutions(fresh.getJobInstance()));
    executions.sort(Comparator.comparingLong(JobExecution::getId));
    for (JobExecution e : executions) {
      for (StepExecution step : e.getStepExecutions()) {
        if (step.getStepName().startsWith(MigrateJobConfiguration.FOLDER_STEP + ":")) {
          latest.put(step.getStepName(), step);
        }
      }
    }
    List<FolderTally> folders = new ArrayList<>();
    latest.keySet().stream()
        .sorted()
        .forEach(
            name -> {
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
    var ctx = fresh.getExecutionContext();
    return new MigrationReport(
        fresh.getJobParameters().getString(MigrationParameters.FROM),
        fresh.getJobParameters().getString(MigrationParameters.TO),
        fresh.getJobParameters().getString(MigrationLauncher.JOB_NAME_PARAMETER),
        fresh.getId(),
        fresh.getStatus().name(),
        null,
        null,
        instant(fresh.getStartTime()),
        instant(fresh.getEndTime()),
        folders,
        ctx.containsKey(RuntimeCloser.PEAK_SOURCE) ? ctx.getInt(RuntimeCloser.PEAK_SOURCE) : 0,
        ctx.containsKey(RuntimeCloser.PEAK_DESTINATION)
            ? ctx.getInt(RuntimeCloser.PEAK_DESTINATION)
            : 0,
        forecast(ctx, QuotaTasklet.FORECAST_KEY),
        forecast(ctx, QuotaLeft.LEFT_KEY));
  }

  private static Instant instant(LocalDateTime time) {
    return time == null ? null : time.atZone(ZoneId.systemDefault()).toInstant();
  }

  private static QuotaForecast forecast(ExecutionContext ctx, String key) {
    return ctx.containsKey(key) ? JSON.readValue(ctx.getString(key), QuotaForecast.class) : null;
  }
}

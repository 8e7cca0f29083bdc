package io.mailferry.job;

import io.mailferry.config.QuotaPolicy;
import io.mailferry.quota.QuotaForecast;
import io.mailferry.quota.QuotaPreflight;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.core.retry.RetryTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * The quota step, before anything is written (it runs first, and again on every restart): maps the
 * folders when no plan is saved yet, puts what is left to write next to the destination's quota,
 * prints one line per quota root, warns, and with --quota-policy stop ends the job (exit 73) when
 * it would not fit. The figures are kept in the job's context for the report.
 */
final class QuotaTasklet implements Tasklet {

  static final String FORECAST_KEY = "quota";
  private static final Logger progress = LoggerFactory.getLogger("io.mailferry.progress");
  private static final Logger log = LoggerFactory.getLogger(QuotaTasklet.class);
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final MigrationRuntime runtime;
  private final RetryTemplate reconnect;

  QuotaTasklet(MigrationRuntime runtime, RetryTemplate reconnect) {
    this.runtime = runtime;
    this.reconnect = reconnect;
  }

  @Override
  public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
    QuotaPolicy policy = runtime.settings().quota();
    if (policy.action() == QuotaPolicy.Action.IGNORE) {
      return RepeatStatus.FINISHED;
    }
    ExecutionContext job =
        chunkContext.getStepContext().getStepExecution().getJobExecution().getExecutionContext();
    QuotaForecast forecast =
        reconnect.invoke(
            () ->
                QuotaPreflight.forecast(
                    runtime.sink(), PendingWork.of(runtime, plan(job)).folders()));
    job.putString(FORECAST_KEY, JSON.writeValueAsString(forecast));
    forecast.lines().forEach(progress::info);
    forecast
        .warnings(policy.warnPercent(), policy.action() == QuotaPolicy.Action.STOP)
        .forEach(log::warn);
    QuotaPreflight.stopIfOverfilled(policy, forecast);
    return RepeatStatus.FINISHED;
  }

  /** The saved plan of a restarted job, or the folders mapped now (saved for the plan step). */
  private List<FolderPlan> plan(ExecutionContext job) {
    if (job.containsKey(PlanTasklet.PLAN_KEY)) {
      return FolderPlan.listFromJson(job.getString(PlanTasklet.PLAN_KEY));
    }
    List<FolderPlan> plan = MigrationPlanner.plan(runtime);
    job.putString(PlanTasklet.PLAN_KEY, FolderPlan.toJson(plan));
    return plan;
  }
}

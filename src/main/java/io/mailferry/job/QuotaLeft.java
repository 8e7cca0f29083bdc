package io.mailferry.job;

import io.mailferry.quota.QuotaForecast;
import io.mailferry.quota.QuotaPreflight;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.job.JobExecution;
import tools.jackson.databind.json.JsonMapper;

/**
 * After a run the destination's quota stopped: what is left to write and the quota as it is now, so
 * the user learns how much space to free. Saved in the job's context for the report.
 */
final class QuotaLeft {

  static final String LEFT_KEY = "quotaLeft";
  private static final Logger log = LoggerFactory.getLogger(QuotaLeft.class);
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private QuotaLeft() {}

  static void save(MigrationRuntime runtime, JobExecution execution) {
    var context = execution.getExecutionContext();
    // Only a refusal during the run: --quota-policy stop ends the job before, and says why itself.
    context.remove(LEFT_KEY); // a restarted job carries the context of the run before
    if (runtime.destinationFull() == null || !context.containsKey(PlanTasklet.PLAN_KEY)) {
      return;
    }
    try {
      List<FolderPlan> plan = FolderPlan.listFromJson(context.getString(PlanTasklet.PLAN_KEY));
      QuotaForecast left =
          QuotaPreflight.forecast(runtime.sink(), PendingWork.of(runtime, plan).folders());
      context.putString(LEFT_KEY, JSON.writeValueAsString(left));
    } catch (RuntimeException e) {
      // The report then lacks the figures; the run's outcome (exit 73) stands.
      log.warn("cannot tell what is left to write: {}", e.getMessage());
    }
  }
}

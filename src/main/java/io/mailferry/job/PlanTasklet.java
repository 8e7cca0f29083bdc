package io.mailferry.job;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.core.retry.RetryTemplate;

/**
 * The plan step: maps the folders, creates the missing ones at the destination (empty and
 * parent folders included, subscriptions kept) and saves the plan for the transfer step.
 */
final class PlanTasklet implements Tasklet {

  static final String PLAN_KEY = "plan";
  private static final Logger log = LoggerFactory.getLogger(PlanTasklet.class);

  private final MigrationRuntime runtime;
  private final RetryTemplate reconnect;

  PlanTasklet(MigrationRuntime runtime, RetryTemplate reconnect) {
    this.runtime = runtime;
    this.reconnect = reconnect;
  }

  @Override
  public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
    // Creating a folder twice is harmless (ensureFolder checks first), so the whole plan retries.
    var job = chunkContext.getStepContext().getStepExecution().getJobExecution().getExecutionContext();
    // The quota step may have mapped the folders already; then the same plan is used.
    String saved = job.containsKey(PLAN_KEY) ? job.getString(PLAN_KEY) : null;
    List<FolderPlan> plan = reconnect.invoke(() -> {
      List<FolderPlan> folders = saved != null ? FolderPlan.listFromJson(saved) : MigrationPlanner.plan(runtime);
      for (FolderPlan folder : folders) {
        if (!folder.destName().equalsIgnoreCase("INBOX")) {
          runtime.sink().ensureFolder(folder.destName(), folder.subscribed());
        }
      }
      return folders;
    });
    LedgerKeys.adopt(runtime, plan);
    log.info("plan: {} folders from {} to {}", plan.size(), runtime.settings().from(), runtime.settings().to());
    plan.forEach(folder -> log.debug("plan: {} → {}", folder.sourceLabel(), folder.destLabel()));
    job.putString(PLAN_KEY, FolderPlan.toJson(plan));
    return RepeatStatus.FINISHED;
  }
}

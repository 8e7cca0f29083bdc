package io.mailferry.job;

import io.mailferry.mail.Printable;
import io.mailferry.sink.MailSink;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.core.retry.RetryTemplate;

/**
 * The plan step: maps the folders, creates the missing ones at the destination (empty and parent
 * folders included, subscriptions kept) and saves the plan for the transfer step.
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
    var job =
        chunkContext.getStepContext().getStepExecution().getJobExecution().getExecutionContext();
    // The quota step may have mapped the folders already; then the same plan is used.
    String saved = job.containsKey(PLAN_KEY) ? job.getString(PLAN_KEY) : null;
    List<FolderPlan> plan =
        reconnect.invoke(
            () -> {
              List<FolderPlan> folders =
                  saved != null ? FolderPlan.listFromJson(saved) : MigrationPlanner.plan(runtime);
              List<FolderPlan> created = new ArrayList<>(folders);
              // Parents before children: on Dovecot a child created first leaves its parent
              // \Noselect.
              // The plan keeps its order (partitions are named by position); only creation is
              // sorted.
              List<Integer> order = new ArrayList<>();
              for (int i = 0; i < folders.size(); i++) {
                order.add(i);
              }
              order.sort(Comparator.comparingInt(i -> folders.get(i).destPath().size()));
              for (int i : order) {
                FolderPlan folder = folders.get(i);
                if (!folder.destName().equalsIgnoreCase("INBOX") && folder.refusal() == null) {
                  created.set(i, create(folder));
                }
              }
              return created;
            });
    LedgerKeys.adopt(runtime, plan);
    plan.stream()
        .filter(f -> f.refusal() != null)
        .forEach(
            f ->
                log.warn(
                    "{}: {}; its messages are not copied, the " + "other folders are",
                    Printable.escape(f.sourceLabel()),
                    Printable.escape(f.refusal())));
    log.info(
        "plan: {} folders from {} to {}",
        plan.size(),
        runtime.settings().from(),
        runtime.settings().to());
    plan.forEach(folder -> log.debug("plan: {} → {}", folder.sourceLabel(), folder.destLabel()));
    job.putString(PLAN_KEY, FolderPlan.toJson(plan));
    return RepeatStatus.FINISHED;
  }

  /**
   * Creates one destination folder. A refusal fails this folder alone; a folder that exists but
   * cannot hold messages (a \Noselect parent the server will not turn into a mailbox) gets a
   * fallback beside it, {@code NAME (messages)}, that takes its messages.
   */
  private FolderPlan create(FolderPlan folder) {
    try {
      runtime.sink().ensureFolder(folder.destName(), folder.subscribed());
      return folder;
    } catch (MailSink.FolderRefused refused) {
      if (!refused.exists() || !folder.selectable()) {
        return folder.refused(refused.getMessage());
      }
      List<String> path = new ArrayList<>(folder.destPath());
      path.set(path.size() - 1, path.get(path.size() - 1) + FALLBACK_SUFFIX);
      FolderPlan fallback = folder.fallback(folder.destName() + FALLBACK_SUFFIX, path);
      try {
        runtime.sink().ensureFolder(fallback.destName(), folder.subscribed());
      } catch (MailSink.FolderRefused alsoRefused) {
        return folder.refused(
            refused.getMessage()
                + "; the fallback "
                + fallback.destLabel()
                + " was refused too: "
                + alsoRefused.getMessage());
      }
      log.warn(
          "{}: the destination folder {} cannot hold messages ({}): they go to {}",
          Printable.escape(folder.sourceLabel()),
          Printable.escape(folder.destLabel()),
          Printable.escape(refused.getMessage()),
          Printable.escape(fallback.destLabel()));
      return fallback;
    }
  }

  /** Appended to the name of a folder that cannot hold messages, for the folder that takes them. */
  static final String FALLBACK_SUFFIX = " (messages)";
}

package io.mailferry.job;

import io.mailferry.report.FolderTally;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.ChunkListener;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.scope.context.StepSynchronizationManager;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.Chunk;
import tools.jackson.databind.json.JsonMapper;

/**
 * Progress on the console, so a long migration shows it is moving: a line every few seconds
 * while a folder copies (a POP3 mailbox is one folder of perhaps 10,000 messages), and one when
 * it is finished. Shared by all partitions, hence the per-step clock.
 */
final class FolderProgress implements StepExecutionListener, ChunkListener<Object, Object> {

  /** The console shows this logger at INFO; the rest of mailferry only from WARN. */
  private static final Logger progress = LoggerFactory.getLogger("io.mailferry.progress");
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final long INTERVAL_NANOS = Duration.ofSeconds(5).toNanos();

  private final Map<Long, Long> lastLine = new ConcurrentHashMap<>();

  @Override
  public void beforeStep(StepExecution step) {
    lastLine.put(step.getId(), System.nanoTime());
  }

  @Override
  public void afterChunk(ChunkContext context) {
    during(context.getStepContext().getStepExecution());
  }

  @Override
  public void afterChunk(Chunk<Object> chunk) {
    var context = StepSynchronizationManager.getContext();
    if (context != null) {
      during(context.getStepExecution());
    }
  }

  private void during(StepExecution step) {
    long now = System.nanoTime();
    Long last = lastLine.get(step.getId());
    if (last != null && now - last < INTERVAL_NANOS) {
      return;
    }
    lastLine.put(step.getId(), now);
    FolderTally t = tally(step);
    if (t == null) {
      return;
    }
    long done = t.copied + t.alreadyThere + t.totalSkipped() + t.failedCount;
    LocalDateTime started = step.getStartTime();
    double seconds = started == null ? 0 : Duration.between(started, LocalDateTime.now()).toMillis() / 1000.0;
    double rate = seconds > 0 ? t.copied / seconds : 0;
    String eta = rate > 0 && t.atSource > done
        ? String.format(Locale.ROOT, ", about %d s left", Math.round((t.atSource - done) / Math.max(rate, 0.001)))
        : "";
    progress.info(String.format(Locale.ROOT, "%s: %d of %d messages done, %d copied (%.1f MB), %.0f messages/s%s",
        label(t), done, t.atSource, t.copied, t.bytesCopied / 1e6, rate, eta));
  }

  @Override
  public ExitStatus afterStep(StepExecution step) {
    lastLine.remove(step.getId());
    FolderTally t = tally(step);
    if (t != null) {
      progress.info("{} {}: {} copied, {} already there, {} skipped, {} failed",
          step.getStatus() == BatchStatus.COMPLETED ? "finished" : "stopped", label(t), t.copied,
          t.alreadyThere, t.totalSkipped(), t.failedCount);
    }
    return step.getExitStatus();
  }

  private static FolderTally tally(StepExecution step) {
    var context = step.getExecutionContext();
    return context.containsKey("tally") ? JSON.readValue(context.getString("tally"), FolderTally.class) : null;
  }

  private static String label(FolderTally t) {
    return t.sourceFolder.equals(t.destFolder) ? t.sourceFolder : t.sourceFolder + " → " + t.destFolder;
  }
}

package io.mailferry.job;

import io.mailferry.report.FolderTally;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.ChunkListener;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.scope.context.StepSynchronizationManager;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.Chunk;
import tools.jackson.databind.json.JsonMapper;

/**
 * Feeds the progress board from every folder partition (the tally each chunk saved) and says when a
 * folder is finished. Shared by all partitions.
 */
final class FolderProgress implements StepExecutionListener, ChunkListener<Object, Object> {

  /** The console shows this logger at INFO; the rest of mailferry only from WARN. */
  private static final Logger progress = LoggerFactory.getLogger("io.mailferry.progress");

  private static final Logger log = LoggerFactory.getLogger(FolderProgress.class);
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final ProgressBoard board;
  private final FolderSession session;

  /**
   * @param session the step-scoped session (a proxy): its tally is ahead of the saved one by a
   *     chunk
   */
  FolderProgress(ProgressBoard board, FolderSession session) {
    this.board = board;
    this.session = session;
  }

  @Override
  public void beforeStep(StepExecution step) {
    board.folderStarted(step.getJobExecution(), step.getId(), tally(step));
  }

  @Override
  public void afterChunk(Chunk<Object> chunk) {
    var context = StepSynchronizationManager.getContext();
    if (context != null) {
      during(context.getStepExecution());
    }
  }

  private void during(StepExecution step) {
    try {
      // The chunk listener runs before the chunk's checkpoint is saved: the session has the live
      // counts.
      FolderTally t = session.tally().copy();
      log.debug(
          "{}: chunk committed: {} copied, {} already there, {} skipped, {} failed of {}",
          label(t),
          t.copied,
          t.alreadyThere,
          t.totalSkipped(),
          t.failedCount,
          t.atSource);
      board.folderMoved(step.getJobExecution(), step.getId(), t);
    } catch (RuntimeException e) {
      // Progress is a courtesy: it must never fail a chunk.
      log.debug("no progress for this chunk", e);
    }
  }

  @Override
  public ExitStatus afterStep(StepExecution step) {
    FolderTally t = tally(step);
    if (t != null) {
      board.folderMoved(step.getJobExecution(), step.getId(), t);
      progress.info(
          "{} {}: {} copied, {} already there, {} skipped, {} failed",
          step.getStatus() == BatchStatus.COMPLETED ? "finished" : "stopped",
          label(t),
          t.copied,
          t.alreadyThere,
          t.totalSkipped(),
          t.failedCount);
    }
    return step.getExitStatus();
  }

  private static FolderTally tally(StepExecution step) {
    var context = step.getExecutionContext();
    return context.containsKey("tally")
        ? JSON.readValue(context.getString("tally"), FolderTally.class)
        : null;
  }

  private static String label(FolderTally t) {
    return t.sourceFolder.equals(t.destFolder)
        ? t.sourceFolder
        : t.sourceFolder + " → " + t.destFolder;
  }
}

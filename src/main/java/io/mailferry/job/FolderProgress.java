package io.mailferry.job;

import io.mailferry.report.FolderTally;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import tools.jackson.databind.json.JsonMapper;

/** One line on the console per folder finished, so a long migration shows it is moving. */
final class FolderProgress implements StepExecutionListener {

  /** The console shows this logger at INFO; the rest of mailferry only from WARN. */
  private static final Logger progress = LoggerFactory.getLogger("io.mailferry.progress");
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Override
  public ExitStatus afterStep(StepExecution step) {
    var context = step.getExecutionContext();
    if (context.containsKey("tally")) {
      FolderTally t = JSON.readValue(context.getString("tally"), FolderTally.class);
      String folder = t.sourceFolder.equals(t.destFolder) ? t.sourceFolder : t.sourceFolder + " → " + t.destFolder;
      progress.info("{} {}: {} copied, {} already there, {} skipped, {} failed",
          step.getStatus() == BatchStatus.COMPLETED ? "finished" : "stopped", folder, t.copied,
          t.alreadyThere, t.totalSkipped(), t.failedCount);
    }
    return step.getExitStatus();
  }
}

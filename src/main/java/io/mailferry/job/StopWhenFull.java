package io.mailferry.job;

import io.mailferry.mail.MailferryException;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;

/**
 * A folder whose last chunk met a full destination has read everything, so its step would end as
 * completed with messages left unwritten: it is marked failed instead, so that the job ends with
 * exit 73 and a restart continues the folder from its checkpoint.
 */
final class StopWhenFull implements StepExecutionListener {

  @Override
  public ExitStatus afterStep(StepExecution step) {
    var context = step.getExecutionContext();
    if (step.getStatus() != BatchStatus.COMPLETED || !context.containsKey(FolderSession.FULL_KEY)) {
      return step.getExitStatus();
    }
    String reason = context.getString(FolderSession.FULL_KEY);
    step.setStatus(BatchStatus.FAILED);
    step.addFailureException(new MailferryException.DestinationFull(reason, null));
    return ExitStatus.FAILED.addExitDescription(reason);
  }
}

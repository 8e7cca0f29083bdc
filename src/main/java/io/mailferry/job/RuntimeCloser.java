package io.mailferry.job;

import io.mailferry.mail.MailferryException;
import io.mailferry.mail.Printable;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.batch.core.repository.JobRepository;

/**
 * Closes the job's connections when it ends, first saving how many were open at most (the report
 * shows it, and the connection-cap tests read it) and, when the destination was full, what is left
 * to write.
 */
final class RuntimeCloser implements JobExecutionListener {

  static final String PEAK_SOURCE = "peakSourceConnections";
  static final String PEAK_DESTINATION = "peakDestinationConnections";

  private final MigrationRuntime runtime;
  private final JobRepository repository;

  RuntimeCloser(MigrationRuntime runtime, JobRepository repository) {
    this.runtime = runtime;
    this.repository = repository;
  }

  @Override
  public void afterJob(JobExecution execution) {
    try {
      QuotaLeft.save(runtime, execution);
      execution.getExecutionContext().putInt(PEAK_SOURCE, runtime.source().peakConnections());
      execution.getExecutionContext().putInt(PEAK_DESTINATION, runtime.sink().peakConnections());
      repository.updateExecutionContext(execution);
    } finally {
      closeOrFail(execution);
    }
  }

  /**
   * Closing writes too: an archive rewrites its manifest then (issue 17.7). Spring Batch only logs
   * what an afterJob throws, so a failure there is made the job's own, or the run would end 0.
   */
  private void closeOrFail(JobExecution execution) {
    try {
      runtime.close();
    } catch (RuntimeException e) {
      String why =
          e.getCause() != null && e.getCause().getMessage() != null
              ? e.getCause().getMessage()
              : String.valueOf(e.getMessage());
      if (execution.getStatus() != BatchStatus.COMPLETED) {
        // The run already ended with its own reason (a full disk, say, which is why the rewrite
        // failed too); the manifest keeps its appended lines and the next run rewrites it.
        org.slf4j.LoggerFactory.getLogger(RuntimeCloser.class)
            .warn(
                "the destination could not be closed: {} ({})",
                Printable.escape(e.getMessage()),
                Printable.escape(why));
        return;
      }
      execution.setStatus(BatchStatus.FAILED);
      execution.setExitStatus(ExitStatus.FAILED.addExitDescription(why));
      execution.addFailureException(
          new MailferryException.Temporary(
              "The destination could not be closed: "
                  + Printable.escape(e.getMessage())
                  + " ("
                  + Printable.escape(why)
                  + ").",
              e));
    }
  }
}

package io.mailferry.job;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.batch.core.repository.JobRepository;

/**
 * Closes the job's connections when it ends, first saving how many were open at most (the
 * report shows it, and the connection-cap tests read it) and, when the destination was full,
 * what is left to write.
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
      runtime.close();
    }
  }
}

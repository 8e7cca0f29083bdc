package io.mailferry.job;

import java.time.LocalDateTime;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;

/**
 * Crash recovery: executions (and their steps) that the job store still shows running although no
 * process runs them, because the one that did died. Called only while holding the pair's run lock,
 * which proves that no live process runs it.
 */
final class StaleExecutions {

  private final JobOperator operator;
  private final JobRepository repository;

  StaleExecutions(JobOperator operator, JobRepository repository) {
    this.operator = operator;
    this.repository = repository;
  }

  /**
   * An execution still marked running was left by a process that died (kill -9, a reboot): mark it
   * failed (Spring Batch 6 recover) so it can be restarted.
   */
  JobExecution recover(JobExecution execution) {
    BatchStatus status = execution.getStatus();
    if (status == BatchStatus.STARTING
        || status == BatchStatus.STARTED
        || status == BatchStatus.STOPPING) {
      return operator.recover(execution);
    }
    if (execution.getStartTime() != null && execution.getEndTime() == null) {
      // Marked STOPPED by a graceful stop, then killed (a second signal) before it recorded its
      // end: the job store counts an execution without an end time as running. Close it.
      execution.setEndTime(LocalDateTime.now());
      repository.update(execution);
    }
    closeRunningSteps(execution);
    return execution;
  }

  /**
   * Steps of a killed execution can still be marked running (a partition stopping when the second
   * signal came): a restart refuses to run while one is. They failed; their checkpoints stay.
   */
  private void closeRunningSteps(JobExecution execution) {
    JobExecution stored = repository.getJobExecution(execution.getId());
    if (stored == null) {
      return;
    }
    for (StepExecution step : stored.getStepExecutions()) {
      if (step.getStatus().isRunning()
          || (step.getStartTime() != null && step.getEndTime() == null)) {
        if (step.getStatus().isRunning()) {
          step.setStatus(BatchStatus.FAILED);
          step.setExitStatus(
              ExitStatus.FAILED.addExitDescription("the process ended before this step did"));
        }
        step.setEndTime(LocalDateTime.now());
        repository.update(step);
      }
    }
  }
}

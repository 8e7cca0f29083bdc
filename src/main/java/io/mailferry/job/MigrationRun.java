package io.mailferry.job;

import java.time.LocalDateTime;
import java.util.List;

/**
 * One execution of a migration, as the commands see it (a value read from the job store).
 *
 * @param jobName the job file the run came from, or null
 * @param exitCode the job store's exit code (COMPLETED, FAILED, ...), not the process's
 * @param failures what the run threw, known only to the process that ran it (empty when read back)
 */
public record MigrationRun(
    long id,
    long instanceId,
    RunState state,
    String from,
    String to,
    String jobName,
    LocalDateTime started,
    LocalDateTime ended,
    String exitCode,
    String exitDescription,
    List<Throwable> failures) {

  static MigrationRun of(org.springframework.batch.core.job.JobExecution execution) {
    var parameters = execution.getJobParameters();
    return new MigrationRun(
        execution.getId(),
        execution.getJobInstance().getInstanceId(),
        RunState.of(execution.getStatus()),
        parameters.getString(MigrationParameters.FROM),
        parameters.getString(MigrationParameters.TO),
        parameters.getString(MigrationLauncher.JOB_NAME_PARAMETER),
        execution.getStartTime(),
        execution.getEndTime(),
        execution.getExitStatus().getExitCode(),
        execution.getExitStatus().getExitDescription(),
        List.copyOf(execution.getAllFailureExceptions()));
  }

  /** "from → to", the pair a run lock and the scheduler know it by. */
  public String pair() {
    return from + " → " + to;
  }
}

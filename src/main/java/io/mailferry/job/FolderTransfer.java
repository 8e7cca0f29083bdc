package io.mailferry.job;

import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;

/**
 * How a run's folders reach other machines (`--workers remote`): the job owns this interface and
 * `job.remote` implements it, so that the job never imports the remote side.
 */
public interface FolderTransfer {

  /** The job parameter naming who copies the folders. */
  String WORKERS_PARAMETER = "workers";

  /** Its value when `mailferry worker` processes copy them; this process is then the manager. */
  String REMOTE = "remote";

  /**
   * The manager's transfer step: one partition per folder, each sent to the workers, ended when
   * every partition has ended.
   *
   * @param beforeSend runs as the step starts: the manager copies nothing itself, so it gives back
   *     the connections its quota and plan steps used (they count against the host cap)
   */
  Step managerStep(
      String name, JobRepository repository, Partitioner partitioner, Runnable beforeSend)
      throws Exception;
}

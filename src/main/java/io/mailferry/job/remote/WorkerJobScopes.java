package io.mailferry.job.remote;

import java.util.HashMap;
import java.util.Map;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.scope.context.JobSynchronizationManager;

/**
 * The job scope on a worker, where no job runs: a partition's thread enters its job execution's
 * scope, so the job-scoped MigrationRuntime (connections, ledger, per-job counters) is built once
 * per job execution and shared by that job's partitions on this worker. When the last of them
 * leaves, the scope is closed and the runtime with it: an idle worker holds no connections. (Spring
 * Batch's release() always destroys the scope, so the counting is ours.)
 */
final class WorkerJobScopes {

  private final Map<Long, Integer> partitions = new HashMap<>();

  synchronized void enter(JobExecution job) {
    partitions.merge(job.getId(), 1, Integer::sum);
    JobSynchronizationManager.register(job);
  }

  /** Called on the thread that entered, when its partition has ended. */
  synchronized void leave(JobExecution job) {
    int left = partitions.merge(job.getId(), -1, Integer::sum);
    if (left == 0) {
      partitions.remove(job.getId());
      JobSynchronizationManager.release(); // destroys the job's beans: its connections close
    } else {
      JobSynchronizationManager.close(); // only this thread's registration
    }
  }
}

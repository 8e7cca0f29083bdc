package io.mailferry.job;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.stereotype.Component;

/**
 * The job executions running in this process. A shared job store also holds other processes'
 * executions; a signal must stop only ours.
 */
@Component
public class LocalExecutions implements JobExecutionListener {

  private final Set<Long> running = ConcurrentHashMap.newKeySet();

  @Override
  public void beforeJob(JobExecution execution) {
    running.add(execution.getId());
  }

  @Override
  public void afterJob(JobExecution execution) {
    running.remove(execution.getId());
  }

  public Set<Long> ids() {
    return Set.copyOf(running);
  }
}

package io.mailferry.job;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.repository.JobRepository;

/**
 * The migrations the job store holds: read page by page, newest instance first, so that a long
 * history is never read in one query nor all of it when the newest answers.
 */
final class JobHistory {

  /** Instances read per query. */
  static final int PAGE = 100;

  private final JobRepository repository;

  JobHistory(JobRepository repository) {
    this.repository = repository;
  }

  /**
   * The first instance, newest first, that the test accepts, or null. An instance started between
   * two pages shifts the next page by one: the instance seen twice is tested once.
   */
  JobInstance firstInstance(Predicate<JobInstance> test) {
    Set<Long> seen = new HashSet<>();
    for (int start = 0; ; start += PAGE) {
      List<JobInstance> page =
          repository.getJobInstances(MigrateJobConfiguration.JOB_NAME, start, PAGE);
      for (JobInstance instance : page) {
        if (seen.add(instance.getInstanceId()) && test.test(instance)) {
          return instance;
        }
      }
      if (page.size() < PAGE) {
        return null;
      }
    }
  }

  /** Every instance, newest first. */
  List<JobInstance> instances() {
    List<JobInstance> all = new ArrayList<>();
    firstInstance(
        instance -> {
          all.add(instance);
          return false; // read every page
        });
    return all;
  }

  /** Every migrate execution, newest first. */
  List<JobExecution> executions() {
    List<JobExecution> all = new ArrayList<>();
    for (JobInstance instance : instances()) {
      all.addAll(repository.getJobExecutions(instance));
    }
    all.sort(Comparator.comparingLong(JobExecution::getId).reversed());
    return all;
  }

  /** Every execution of a migration between these two accounts. */
  List<JobExecution> executions(String from, String to) {
    List<JobExecution> pair = new ArrayList<>();
    for (JobInstance instance : instances()) {
      for (JobExecution execution : repository.getJobExecutions(instance)) {
        if (between(execution, from, to)) {
          pair.add(execution);
        }
      }
    }
    return pair;
  }

  /** The newest execution of a migration between these two accounts, or null. */
  JobExecution last(String from, String to) {
    JobExecution[] found = new JobExecution[1];
    firstInstance(
        instance -> {
          JobExecution execution = repository.getLastJobExecution(instance);
          if (execution != null && between(execution, from, to)) {
            found[0] = execution;
            return true;
          }
          return false;
        });
    return found[0];
  }

  /** The execution with this id, or null when there is none. */
  JobExecution execution(long id) {
    try {
      return repository.getJobExecution(id);
    } catch (org.springframework.dao.EmptyResultDataAccessException none) {
      return null; // the JDBC job repository throws where the interface promises null
    }
  }

  private static boolean between(JobExecution execution, String from, String to) {
    var parameters = execution.getJobParameters();
    return from.equals(parameters.getString(MigrationParameters.FROM))
        && to.equals(parameters.getString(MigrationParameters.TO));
  }
}

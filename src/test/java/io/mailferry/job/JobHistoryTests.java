package io.mailferry.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.repository.JobRepository;

/**
 * The job store's history read in pages: all of it, and the newest of a pair without reading
 * further.
 */
class JobHistoryTests {

  /** 250 migrations, newest first: instance i has execution i, of the pair a{i % 3} → b. */
  private final List<JobInstance> instances = new ArrayList<>();

  private final List<Integer> pagesAsked = new ArrayList<>();

  private final JobRepository repository =
      (JobRepository)
          Proxy.newProxyInstance(
              getClass().getClassLoader(),
              new Class<?>[] {JobRepository.class},
              (proxy, method, args) ->
                  switch (method.getName()) {
                    case "getJobInstances" -> {
                      int start = (int) args[1];
                      int count = (int) args[2];
                      pagesAsked.add(count);
                      yield instances.subList(
                          Math.min(start, instances.size()),
                          Math.min(start + count, instances.size()));
                    }
                    case "getJobExecutions" -> List.of(execution((JobInstance) args[0]));
                    case "getLastJobExecution" -> execution((JobInstance) args[0]);
                    default -> throw new UnsupportedOperationException(method.getName());
                  });

  JobHistoryTests() {
    for (long id = 250; id >= 1; id--) {
      instances.add(new JobInstance(id, MigrateJobConfiguration.JOB_NAME));
    }
  }

  private static JobExecution execution(JobInstance instance) {
    long id = instance.getInstanceId();
    var parameters =
        new JobParametersBuilder()
            .addString(MigrationParameters.FROM, "imap://a" + id % 3)
            .addString(MigrationParameters.TO, "imap://b")
            .toJobParameters();
    return new JobExecution(id, instance, parameters);
  }

  @Test
  void every_execution_is_read_newest_first_in_pages_of_a_hundred() {
    List<JobExecution> all = new JobHistory(repository).executions();

    assertThat(all).hasSize(250);
    assertThat(all.get(0).getId()).isEqualTo(250);
    assertThat(all.get(249).getId()).isEqualTo(1);
    assertThat(pagesAsked).containsExactly(JobHistory.PAGE, JobHistory.PAGE, JobHistory.PAGE);
  }

  @Test
  void the_newest_run_of_a_pair_is_found_in_the_first_page_without_reading_the_rest() {
    JobExecution last = new JobHistory(repository).last("imap://a1", "imap://b");

    assertThat(last.getId()).isEqualTo(250);
    assertThat(pagesAsked).hasSize(1);
  }

  @Test
  void a_pair_never_run_is_none_after_every_page() {
    assertThat(new JobHistory(repository).last("imap://nobody", "imap://b")).isNull();
    assertThat(new JobHistory(repository).executions("imap://a2", "imap://b")).hasSize(83);
  }
}

package io.mailferry.throttle;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailferry.job.JobStore;
import io.mailferry.testsupport.PostgresExtension;
import io.mailferry.testsupport.PostgresServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Rates and login spacing held in PostgreSQL, taken by two "processes" at once (two job store
 * contexts, each with its own connection pool, as two workers would have): together they stay at
 * one rate, where buckets of their own would let through twice as much.
 */
class SharedRatesIntegrationTests {

  @RegisterExtension static PostgresExtension postgres = new PostgresExtension();
  private static ConfigurableApplicationContext first;
  private static ConfigurableApplicationContext second;

  @BeforeAll
  static void start(@TempDir Path state) {
    first =
        JobStore.open(
            state.resolve("first"), postgres.server().jdbcUrl(), null, PostgresServer.PASSWORD);
    second =
        JobStore.open(
            state.resolve("second"), postgres.server().jdbcUrl(), null, PostgresServer.PASSWORD);
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable c : new AutoCloseable[] {first, second}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception ignored) {
        // the next one still closes
      }
    }
  }

  @Test
  void messages_taken_by_two_processes_together_stay_at_the_rate() {
    assertTogetherAt(40, "test-host messages", 40, 40, 1);
  }

  @Test
  void bytes_taken_a_little_at_a_time_by_two_processes_together_stay_at_the_rate() {
    assertTogetherAt(200_000, "test-host bytes", 200_000, 200_000, 1_500);
  }

  @Test
  void the_strictest_rate_of_the_takers_holds_for_all() {
    assertTogetherAt(20, "test-host strict messages", 20, 100, 1);
  }

  @Test
  void a_taking_inside_a_chunk_transaction_does_not_hold_the_other_processes_until_it_commits() {
    TransactionTemplate chunk =
        new TransactionTemplate(first.getBean(PlatformTransactionManager.class));
    Rate mine =
        new DatabaseRates(first.getBean(JdbcTemplate.class)).rate("test-host tx bytes", 1_000_000);
    Rate theirs =
        new DatabaseRates(second.getBean(JdbcTemplate.class)).rate("test-host tx bytes", 1_000_000);
    chunk.executeWithoutResult(
        status -> {
          new JdbcTemplate(first.getBean(javax.sql.DataSource.class))
              .queryForObject("SELECT 1", Integer.class);
          mine.take(10);
          // The chunk goes on writing (its transaction open) while the other worker takes.
          assertThat(CompletableFuture.runAsync(() -> theirs.take(10)))
              .as("the other process's taking")
              .succeedsWithin(Duration.ofSeconds(3));
        });
  }

  @Test
  void logins_of_two_processes_are_spaced_by_the_interval() throws Exception {
    Duration interval = Duration.ofMillis(150);
    List<Long> at = Collections.synchronizedList(new ArrayList<>());
    List<CompletableFuture<Void>> takers = new ArrayList<>();
    for (ConfigurableApplicationContext process : List.of(first, second)) {
      Logins logins =
          new DatabaseRates(process.getBean(JdbcTemplate.class))
              .logins("test-host logins", interval);
      for (int t = 0; t < 2; t++) {
        takers.add(
            CompletableFuture.runAsync(
                () -> {
                  for (int i = 0; i < 5; i++) {
                    logins.awaitTurn();
                    at.add(System.nanoTime());
                  }
                }));
      }
    }
    CompletableFuture.allOf(takers.toArray(CompletableFuture[]::new)).join();
    List<Long> sorted = at.stream().sorted().toList();
    long closest = Long.MAX_VALUE;
    int shortGaps = 0;
    for (int i = 1; i < sorted.size(); i++) {
      long gap = sorted.get(i) - sorted.get(i - 1);
      closest = Math.min(closest, gap);
      shortGaps += gap / 1e6 < interval.toMillis() * 0.6 ? 1 : 0;
    }
    double seconds = (sorted.get(sorted.size() - 1) - sorted.get(0)) / 1e9;
    System.out.printf(
        "20 logins of two processes, 150 ms apart: closest %.1f ms, %.2f s in all%n",
        closest / 1e6, seconds);
    // The time is taken after the turn: a thread that ran late once it had its slot (a loaded
    // machine; seen in CI: one gap of 14 ms) makes that one gap short and the one before long.
    // A spacing per process lets the two processes' logins meet: about half the gaps near 0.
    assertThat(shortGaps)
        .as("gaps under 60%% of the interval (closest %.1f ms)", closest / 1e6)
        .isLessThanOrEqualTo(2);
    assertThat(seconds).isBetween(19 * 0.150 - 0.05, 19 * 0.150 + 0.5);
  }

  /**
   * What two processes took together per second from one key over 4 s is within 10% of {@code
   * expected}.
   */
  private static void assertTogetherAt(
      double expected, String key, double firstRate, double secondRate, long chunk) {
    double rate = taken(key, firstRate, secondRate, chunk, Duration.ofSeconds(4));
    System.out.printf(
        "%s, %.0f/s set by one process and %.0f/s by the other, taken %d at a time: %.1f/s together%n",
        key, firstRate, secondRate, chunk, rate);
    assertThat(rate).isBetween(0.9 * expected, 1.1 * expected);
  }

  /**
   * Two processes with two taking threads each, taking {@code chunk} at a time for {@code span}
   * from the rate of {@code key}: the first process sets {@code firstRate}, the second {@code
   * secondRate}.
   *
   * @return what they took together per second
   */
  private static double taken(
      String key, double firstRate, double secondRate, long chunk, Duration span) {
    AtomicLong total = new AtomicLong();
    List<CompletableFuture<Void>> takers = new ArrayList<>();
    long start = System.nanoTime();
    long end = start + span.toNanos();
    double[] rates = {firstRate, secondRate};
    List<ConfigurableApplicationContext> processes = List.of(first, second);
    for (int p = 0; p < 2; p++) {
      Rate shared =
          new DatabaseRates(processes.get(p).getBean(JdbcTemplate.class)).rate(key, rates[p]);
      for (int t = 0; t < 2; t++) {
        takers.add(
            CompletableFuture.runAsync(
                () -> {
                  while (System.nanoTime() < end) {
                    shared.take(chunk);
                    total.addAndGet(chunk);
                  }
                }));
      }
    }
    CompletableFuture.allOf(takers.toArray(CompletableFuture[]::new)).join();
    return total.get() / ((System.nanoTime() - start) / 1e9);
  }
}

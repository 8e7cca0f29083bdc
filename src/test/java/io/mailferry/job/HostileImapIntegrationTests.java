package io.mailferry.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailferry.testsupport.Account;
import io.mailferry.testsupport.ChildMailferry;
import io.mailferry.testsupport.HostileImapServer;
import io.mailferry.testsupport.HostileImapServer.Scenario;
import io.mailferry.testsupport.Mailferry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A source server that breaks the protocol cannot exhaust memory, disk or time: each hostile shape
 * ends in one sentence and its exit code (76 for a broken protocol: not worth retrying), run in a
 * child JVM with a small heap (256 MB) where memory is what the server attacks.
 */
class HostileImapIntegrationTests {

  @TempDir Path state;

  @BeforeEach
  void quickRetries() {
    System.setProperty("mailferry.retry-delay-ms", "50");
    System.setProperty("mailferry.retries", "1");
  }

  @AfterEach
  void normalRetries() {
    System.clearProperty("mailferry.retry-delay-ms");
    System.clearProperty("mailferry.retries");
  }

  record ChildRun(int exitCode, String output, long peakSpool) {}

  @Test
  void a_literal_announced_as_two_billion_bytes_fails_its_message_not_the_heap() throws Exception {
    try (var server = new HostileImapServer(Scenario.HUGE_LITERAL, 3, 2_000)) {
      ChildRun run = backupInChild(server.account());

      // The batch breaks, then each message asked for alone breaks again: each fails alone,
      // named, each on a new connection, and the run ends as one with failed messages.
      assertThat(run.exitCode()).as(run.output()).isEqualTo(1);
      for (int uid = 1; uid <= 3; uid++) {
        assertThat(run.output())
            .contains(
                "failed UID "
                    + uid
                    + ": the server announced a literal of 2000000000 bytes "
                    + "where at most "
                    + (2 << 20)
                    + " were expected for a piece of "
                    + (2 << 20)
                    + " bytes: not copied");
      }
      assertThat(run.output()).doesNotContain("OutOfMemoryError").doesNotContain("\tat ");
    }
  }

  @Test
  void a_response_line_that_never_ends_is_cut_at_one_mebibyte() throws Exception {
    try (var server = new HostileImapServer(Scenario.ENDLESS_LINE, 3, 2_000)) {
      ChildRun run = backupInChild(server.account());

      assertThat(run.exitCode()).as(run.output()).isEqualTo(76);
      assertThat(run.output())
          .contains("broke the protocol")
          .contains("a response line longer than 1 MiB")
          .doesNotContain("OutOfMemoryError");
    }
  }

  @Test
  void a_folder_listing_that_never_ends_is_cut_at_its_cap() throws Exception {
    try (var server = new HostileImapServer(Scenario.ENDLESS_LIST, 3, 2_000)) {
      ChildRun run = backupInChild(server.account());

      assertThat(run.exitCode()).as(run.output()).isEqualTo(76);
      assertThat(run.output())
          .contains("broke the protocol")
          .contains("more than")
          .doesNotContain("OutOfMemoryError");
    }
  }

  @Test
  void a_message_listing_that_never_ends_is_cut_at_what_the_folder_holds() throws Exception {
    try (var server = new HostileImapServer(Scenario.ENDLESS_FETCH_LISTING, 3, 2_000)) {
      ChildRun run = backupInChild(server.account());

      assertThat(run.exitCode()).as(run.output()).isEqualTo(76);
      assertThat(run.output())
          .contains("broke the protocol")
          .contains("more than 10006 responses to a FETCH of the header fields of 3 messages")
          .doesNotContain("OutOfMemoryError");
    }
  }

  @Test
  void bodies_far_larger_than_their_announced_size_fail_alone_and_memory_stays_bounded()
      throws Exception {
    // 27 of 40 messages "of 10 bytes" are 10 MB each: one batch of 270 MB for a 256 MB heap.
    int messages = 40;
    try (var server = new HostileImapServer(Scenario.LYING_SIZE, messages, 10 << 20)) {
      ChildRun run = backupInChild(server.account());

      assertThat(run.exitCode()).as(run.output()).isEqualTo(1);
      assertThat(run.output())
          .contains("fetched again one at a time")
          .doesNotContain("OutOfMemoryError");
      List<String> honest = new ArrayList<>();
      for (int uid = 1; uid <= messages; uid++) {
        if (server.honest(uid)) {
          honest.add(new String(server.message(uid), StandardCharsets.US_ASCII));
          assertThat(run.output()).doesNotContain("failed UID " + uid + ":");
        } else {
          assertThat(run.output())
              .contains(
                  "failed UID "
                      + uid
                      + ": the server sent more than "
                      + (10 + 1 + 64 * 1024)
                      + " bytes for a message it listed as 10 bytes: not copied");
        }
      }
      List<String> stored = new ArrayList<>();
      try (Stream<Path> inbox = Files.list(state.resolve("archive").resolve("cur"))) {
        for (Path f : inbox.toList()) {
          stored.add(Files.readString(f, StandardCharsets.US_ASCII));
        }
      }
      assertThat(stored)
          .as("the honest messages, each with its bytes")
          .containsExactlyInAnyOrderElementsOf(honest);
    }
  }

  @Test
  void partial_fetches_answered_past_the_end_for_ever_stop_at_the_announced_size_plus_the_margin()
      throws Exception {
    int size = 5 << 20; // above the in-memory limit: fetched in pieces into the spool
    try (var server = new HostileImapServer(Scenario.ENDLESS_PARTIAL, 2, size)) {
      ChildRun run = backupInChild(server.account());

      // Each message fails alone, named, and the run goes on to the next: the connection is sound.
      assertThat(run.exitCode()).as(run.output()).isEqualTo(1);
      assertThat(run.output())
          .contains("failed UID 1: the server sent more than")
          .contains("failed UID 2: the server sent more than")
          .contains("for a message it listed as " + size + " bytes: not copied")
          .doesNotContain("ArithmeticException");
      assertThat(run.peakSpool()).isLessThanOrEqualTo(size + (1L << 20) + (2L << 20));
    }
  }

  @Test
  void a_message_of_unknown_size_that_never_ends_stops_at_half_a_gibibyte() throws Exception {
    try (var server = new HostileImapServer(Scenario.UNKNOWN_SIZE_ENDLESS, 1, 4_000)) {
      ChildRun run = backupInChild(server.account());

      assertThat(run.exitCode()).as(run.output()).isEqualTo(1);
      assertThat(run.output())
          .contains("failed UID 1: the server sent more than")
          .contains(
              "for a message whose size it did not say (--max-message-size allows more): not copied");
      long limit = 512L << 20;
      assertThat(run.peakSpool()).isGreaterThan(limit / 2).isLessThanOrEqualTo(limit + (2L << 20));
    }
  }

  @Test
  void a_server_that_dribbles_one_byte_a_second_loses_the_connection_as_for_a_timeout()
      throws Exception {
    try (var server = new HostileImapServer(Scenario.DRIBBLE, 1, 200)) {
      long start = System.nanoTime();
      var run =
          Mailferry.run(
              env(),
              "backup",
              "--from",
              server.account().url(),
              "--to",
              state.resolve("archive").toString(),
              "--state-dir",
              state.resolve("state").toString(),
              "--timeout",
              "3");
      Duration took = Duration.ofNanos(System.nanoTime() - start);

      assertThat(run.exitCode()).as(run.toString()).isEqualTo(75);
      assertThat(run.out() + run.err()).contains("too slowly");
      // Two attempts (one retry) of about --timeout each, not the 260 s the answer would take.
      assertThat(took).isLessThan(Duration.ofSeconds(40));
    }
  }

  @Test
  void a_server_without_starttls_is_unreachable_at_once_when_the_password_must_not_go_in_clear()
      throws Exception {
    try (var server = new HostileImapServer(Scenario.NO_STARTTLS, 1, 200)) {
      long start = System.nanoTime();
      var run =
          Mailferry.run(
              env(),
              "backup",
              "--from",
              server.account().url(),
              "--to",
              state.resolve("archive").toString(),
              "--state-dir",
              state.resolve("state").toString());
      Duration took = Duration.ofNanos(System.nanoTime() - start);

      assertThat(run.exitCode()).as(run.toString()).isEqualTo(69);
      assertThat(run.out() + run.err()).contains("does not offer STARTTLS");
      assertThat(took).isLessThan(Duration.ofSeconds(10));
    }
  }

  private static Map<String, String> env() {
    return Map.of("MAILFERRY_FROM_PASSWORD", "pw");
  }

  private ChildRun backupInChild(Account source) throws IOException, InterruptedException {
    Path stateDir = state.resolve("state");
    Path log = state.resolve("child.log");
    List<String> args =
        new ArrayList<>(
            List.of(
                "backup",
                "--from",
                source.url(),
                "--to",
                state.resolve("archive").toString(),
                "--state-dir",
                stateDir.toString()));
    Process p = ChildMailferry.start(args, env(), log);
    AtomicLong peak = new AtomicLong();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    while (!p.waitFor(20, TimeUnit.MILLISECONDS)) {
      peak.accumulateAndGet(spoolBytes(stateDir.resolve("spool")), Math::max);
      if (System.nanoTime() > deadline) {
        p.destroyForcibly().waitFor();
        throw new AssertionError("mailferry did not end within 180 s:\n" + Files.readString(log));
      }
    }
    return new ChildRun(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8), peak.get());
  }

  private static long spoolBytes(Path spool) {
    if (!Files.isDirectory(spool)) {
      return 0;
    }
    long total = 0;
    try (Stream<Path> files = Files.list(spool)) {
      for (Path f : files.toList()) {
        try {
          total += Files.size(f);
        } catch (IOException gone) {
          // deleted while we looked
        }
      }
    } catch (IOException gone) {
      return 0;
    }
    return total;
  }
}

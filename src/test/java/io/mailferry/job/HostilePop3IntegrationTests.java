package io.mailferry.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import io.mailferry.testsupport.Account;
import io.mailferry.testsupport.ChildMailferry;
import io.mailferry.testsupport.Mailferry;
import io.mailferry.testsupport.ScriptedPop3Server;
import io.mailferry.testsupport.TestMailbox;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A POP3 server that breaks the protocol: endless lines, a listing without end, a RETR far longer
 * than LIST said. Memory, spool and time stay bounded: a message too long fails alone (exit 1,
 * named in the summary); a server that cannot be talked to any more ends the run with exit 76 and
 * one sentence, never 75 (running again would meet the same server). The runs that died of
 * OutOfMemoryError run in a child JVM with a 256 MB heap.
 */
class HostilePop3IntegrationTests {

  private static final AtomicInteger USERS = new AtomicInteger();

  @RegisterExtension
  static GreenMailExtension destinationServer =
      new GreenMailExtension(
          new ServerSetup(3144, "127.0.0.1", ServerSetup.PROTOCOL_IMAP).dynamicPort());

  @TempDir Path state;

  @Test
  void an_endless_status_line_is_exit_76_in_one_sentence_without_running_out_of_memory()
      throws Exception {
    try (var pop = new ScriptedPop3Server("secret", true)) {
      pop.add(Pop3Contract.received("one", null, null, "Mon, 9 Mar 2026 10:00:00 +0000"));
      pop.answer("LIST", ScriptedPop3Server.endless("+OK ", "x"));

      String log = runInChild(pop);

      assertThat(log)
          .contains("exit=76")
          .contains("broke the POP3 protocol")
          .contains("a status line longer than 8192 bytes")
          .doesNotContain("OutOfMemoryError")
          .doesNotContain("Exception");
    }
  }

  @Test
  void a_listing_without_end_is_exit_76_in_one_sentence_without_running_out_of_memory()
      throws Exception {
    try (var pop = new ScriptedPop3Server("secret", true)) {
      pop.add(Pop3Contract.received("one", null, null, "Mon, 9 Mar 2026 10:00:00 +0000"));
      pop.answer(
          "LIST",
          (words, out) -> {
            out.write("+OK\r\n".getBytes(StandardCharsets.US_ASCII));
            StringBuilder b = new StringBuilder();
            for (long n = 1; ; n++) {
              b.append(n).append(" 100\r\n");
              if (b.length() > 8192) {
                out.write(b.toString().getBytes(StandardCharsets.US_ASCII));
                b.setLength(0);
              }
            }
          });

      String log = runInChild(pop);

      assertThat(log)
          .contains("exit=76")
          .contains("broke the POP3 protocol")
          .contains("more than")
          .doesNotContain("OutOfMemoryError")
          .doesNotContain("Exception");
    }
  }

  @Test
  void an_endless_line_in_a_uidl_listing_is_exit_76_without_running_out_of_memory()
      throws Exception {
    try (var pop = new ScriptedPop3Server("secret", true)) {
      pop.add(Pop3Contract.received("one", null, null, "Mon, 9 Mar 2026 10:00:00 +0000"));
      pop.answer("UIDL", ScriptedPop3Server.endless("+OK\r\n1 ", "y"));

      String log = runInChild(pop);

      assertThat(log)
          .contains("exit=76")
          .contains("broke the POP3 protocol")
          .doesNotContain("OutOfMemoryError")
          .doesNotContain("Exception");
    }
  }

  @Test
  void a_message_without_end_is_exit_76_with_its_spool_bounded() throws Exception {
    try (var pop = new ScriptedPop3Server("secret", true)) {
      pop.add(Pop3Contract.received("one", null, null, "Mon, 9 Mar 2026 10:00:00 +0000"));
      pop.serveLonger(1, Long.MAX_VALUE);

      String log;
      try (var spool = new SpoolWatch(state.resolve("spool"))) {
        log = runInChild(pop);
        assertThat(spool.peak()).as("peak spool bytes").isLessThan(1L << 20);
      }

      assertThat(log)
          .contains("exit=76")
          .contains("broke the POP3 protocol")
          .doesNotContain("OutOfMemoryError")
          .doesNotContain("Exception");
    }
  }

  @Test
  void a_message_far_longer_than_listed_fails_alone_exit_1_and_its_spool_stays_within_the_margin()
      throws Exception {
    try (var pop = new ScriptedPop3Server("secret", true)) {
      byte[] first = Pop3Contract.received("first", null, null, "Mon, 9 Mar 2026 10:00:00 +0000");
      byte[] large = large(5 << 20);
      byte[] last = Pop3Contract.received("last", null, null, "Mon, 9 Mar 2026 11:00:00 +0000");
      pop.add(first);
      pop.add(large);
      pop.add(last);
      pop.serveLonger(2, 40L << 20); // 45 MB for a message LIST says is 5 MB
      Account destination = destination();

      Mailferry.Result run;
      try (var spool = new SpoolWatch(state.resolve("spool"))) {
        run = Mailferry.migrate(source(pop), destination, state);
        System.out.println(run);
        // The margin: an eighth of the listed size and 64 KiB.
        assertThat(spool.peak())
            .as("peak spool bytes")
            .isLessThanOrEqualTo(large.length + large.length / 8 + 65536);
      }

      assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
      assertThat(run.out())
          .containsPattern("failed UID \\d+: .*message 2 .*more than")
          .doesNotContain("Exception");
      assertThat(shas(destination))
          .containsExactlyInAnyOrder(TestMailbox.sha256(first), TestMailbox.sha256(last));
    }
  }

  @Test
  void a_message_longer_than_max_message_size_though_listed_smaller_fails_alone() throws Exception {
    try (var pop = new ScriptedPop3Server("secret", true)) {
      byte[] first = Pop3Contract.received("first", null, null, "Mon, 9 Mar 2026 10:00:00 +0000");
      pop.add(first);
      pop.add(large(200_000));
      pop.serveLonger(2, 20_000); // within the margin, but above --max-message-size
      Account destination = destination();

      var run = Mailferry.migrate(source(pop), destination, state, "--max-message-size", "210000");

      assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
      assertThat(run.out()).containsPattern("failed UID \\d+: .*--max-message-size");
      assertThat(shas(destination)).containsExactly(TestMailbox.sha256(first));
    }
  }

  // --- helpers

  /** Runs migrate from this server in a child JVM (-Xmx256m); its output, ending with "exit=N". */
  private String runInChild(ScriptedPop3Server pop) throws Exception {
    Account from = source(pop);
    Account to = destination();
    Path log = state.resolve("child.log");
    Process p =
        ChildMailferry.start(
            List.of(
                "migrate", "--from", from.url(), "--to", to.url(), "--state-dir", state.toString()),
            Map.of(
                "MAILFERRY_FROM_PASSWORD",
                from.password(),
                "MAILFERRY_TO_PASSWORD",
                to.password(),
                "MAILFERRY_RETRY_DELAY_MS",
                "50"),
            log);
    boolean ended = p.waitFor(3, TimeUnit.MINUTES);
    if (!ended) {
      p.destroyForcibly().waitFor();
    }
    String output =
        Files.readString(log, StandardCharsets.UTF_8)
            + (ended ? "\nexit=" + p.exitValue() : "\nstill running");
    System.out.println(output); // in the test's output file, for a failure's reader
    return output;
  }

  private static byte[] large(int size) {
    StringBuilder b = new StringBuilder("From: a@example.org\r\nSubject: large\r\n\r\n");
    while (b.length() < size) {
      b.append("line ").append(b.length()).append(" of a large message\r\n");
    }
    return b.toString().getBytes(StandardCharsets.US_ASCII);
  }

  private static Account source(ScriptedPop3Server pop) {
    return new Account("pop3", "127.0.0.1", pop.port(), "popper", "secret", null);
  }

  private static Account destination() {
    String user = "hostile" + USERS.incrementAndGet();
    destinationServer.setUser(user + "@new.example", user, "pw-" + user);
    return Account.imap("127.0.0.1", destinationServer.getImap().getPort(), user, "pw-" + user);
  }

  private static List<String> shas(Account account) throws Exception {
    try (TestMailbox box = account.open()) {
      return box.messages("INBOX").stream()
          .map(TestMailbox.StoredMessage::sha256)
          .sorted()
          .toList();
    }
  }

  /** Samples the spool directory's total size every millisecond or so, keeping the largest. */
  private static final class SpoolWatch implements AutoCloseable {
    private final AtomicLong peak = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;

    SpoolWatch(Path dir) {
      thread =
          new Thread(
              () -> {
                while (running) {
                  peak.accumulateAndGet(size(dir), Math::max);
                  Thread.onSpinWait();
                }
              },
              "spool-watch");
      thread.setDaemon(true);
      thread.start();
    }

    long peak() throws InterruptedException {
      running = false;
      thread.join();
      return peak.get();
    }

    private static long size(Path dir) {
      try (Stream<Path> files = Files.list(dir)) {
        return files.mapToLong(f -> f.toFile().length()).sum();
      } catch (IOException e) {
        return 0; // not made yet, or a file went away while listed
      }
    }

    @Override
    public void close() throws InterruptedException {
      running = false;
      thread.join();
    }
  }
}

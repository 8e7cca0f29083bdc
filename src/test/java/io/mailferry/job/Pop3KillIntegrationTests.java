package io.mailferry.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailferry.testsupport.Account;
import io.mailferry.testsupport.ChildMailferry;
import io.mailferry.testsupport.DovecotExtension;
import io.mailferry.testsupport.DovecotServer;
import io.mailferry.testsupport.Mailferry;
import io.mailferry.testsupport.StallingPop3Proxy;
import io.mailferry.testsupport.TestMailbox;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * POP3 deletes at QUIT. A run with --delete-after-copy killed (SIGKILL, in a child JVM) while
 * copying, and another killed after its last APPEND but before its QUIT reached the server, must
 * delete nothing; the next run copies nothing twice and empties the source.
 */
class Pop3KillIntegrationTests {

  private static final int TOTAL = 200;

  @RegisterExtension
  static DovecotExtension dovecot = new DovecotExtension(DovecotServer.Layout.SLASH);

  @TempDir Path state;

  @Test
  void
      runs_killed_mid_copy_and_before_quit_delete_nothing_and_the_next_run_moves_every_message_once()
          throws Exception {
    long seed = System.nanoTime();
    System.out.println("Pop3Kill seed=" + seed);
    Account mailbox = Account.onDovecot(dovecot.server(), "killpop");
    try (TestMailbox box = mailbox.open()) {
      for (int i = 0; i < TOTAL; i++) {
        box.append(
            "INBOX",
            Pop3Contract.received("kill-" + i, null, null, "Tue, 10 Mar 2026 10:00:00 +0000"),
            Set.of(),
            Instant.parse("2026-03-10T10:00:00Z"));
      }
    }
    List<String> original = Pop3Contract.shas(mailbox, "INBOX");
    Account destination = Account.onDovecot(dovecot.server(), "killdst");

    try (var proxy =
        new StallingPop3Proxy(dovecot.server().host(), dovecot.server().pop3Port(), "QUIT")) {
      Account throughProxy =
          new Account("pop3", "127.0.0.1", proxy.port(), mailbox.user(), mailbox.password(), null);

      Process midCopy = start(throughProxy, destination, "mid-copy.log");
      // In the first half, so that the chunks in flight at the kill cannot finish the mailbox.
      int threshold = 1 + new Random(seed).nextInt(TOTAL / 2);
      assertThat(waitUntil(midCopy, () -> Pop3Contract.count(destination, "INBOX") >= threshold))
          .as(
              "seed "
                  + seed
                  + ": still copying at "
                  + threshold
                  + " messages\n"
                  + log("mid-copy.log"))
          .isTrue();
      ChildMailferry.kill(midCopy);
      assertThat(Pop3Contract.count(destination, "INBOX"))
          .as("seed " + seed + ": killed mid-copy")
          .isBetween(threshold, TOTAL - 1);
      assertThat(Pop3Contract.count(mailbox, "INBOX")).as("seed " + seed).isEqualTo(TOTAL);

      Process beforeQuit = start(throughProxy, destination, "before-quit.log");
      assertThat(waitUntil(beforeQuit, proxy::stalled)).as(log("before-quit.log")).isTrue();
      ChildMailferry.kill(beforeQuit);
      assertThat(Pop3Contract.count(mailbox, "INBOX"))
          .as("QUIT never arrived: nothing deleted")
          .isEqualTo(TOTAL);
      assertThat(Pop3Contract.count(destination, "INBOX")).isEqualTo(TOTAL);
    }

    var last =
        Mailferry.migrate(
            mailbox.viaPop3(dovecot.server().pop3Port()),
            destination,
            state,
            "--delete-after-copy");

    assertThat(last.exitCode()).as(last.toString()).isZero();
    assertThat(Pop3Contract.copied(last)).isZero();
    assertThat(Pop3Contract.count(mailbox, "INBOX")).isZero();
    assertThat(Pop3Contract.shas(destination, "INBOX")).as("seed " + seed).isEqualTo(original);
  }

  private Process start(Account source, Account destination, String logName) throws Exception {
    List<String> args =
        List.of(
            "migrate",
            "--from",
            source.url(),
            "--to",
            destination.url(),
            "--to-trust-cert",
            dovecot.server().certificatePem().toString(),
            "--delete-after-copy",
            "--state-dir",
            state.toString());
    return ChildMailferry.start(
        args,
        Map.of(
            "MAILFERRY_FROM_PASSWORD",
            source.password(),
            "MAILFERRY_TO_PASSWORD",
            destination.password(),
            "MAILFERRY_CHUNK_SIZE",
            "20"),
        state.resolve(logName));
  }

  private String log(String name) throws Exception {
    return Files.readString(state.resolve(name), StandardCharsets.UTF_8);
  }

  interface Condition {
    boolean holds() throws Exception;
  }

  /**
   * Waits until the condition holds while the run is alive (true), or the run ends first (false).
   */
  private static boolean waitUntil(Process run, Condition condition) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (run.isAlive() && System.nanoTime() < deadline) {
      if (condition.holds()) {
        return run.isAlive();
      }
      Thread.sleep(20);
    }
    return false;
  }
}

package io.mailferry.job;

import static io.mailferry.job.ThrottlingIntegrationTests.assertSameMessages;
import static io.mailferry.job.ThrottlingIntegrationTests.fill;
import static io.mailferry.job.ThrottlingIntegrationTests.viaProxy;
import static org.assertj.core.api.Assertions.assertThat;

import io.mailferry.testsupport.Account;
import io.mailferry.testsupport.DovecotExtension;
import io.mailferry.testsupport.DovecotServer;
import io.mailferry.testsupport.Mailferry;
import io.mailferry.testsupport.ThrottlingImapProxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A destination that asks mailferry to slow down, in each of the ways servers say it: a proxy in
 * front of a real Dovecot answers one APPEND with the signal instead of passing it on. The job
 * waits, lowers its concurrency, logs one line, and completes with every message once.
 */
class ThrottleSignalsIntegrationTests {

  private static final AtomicInteger USERS = new AtomicInteger();

  @RegisterExtension
  static DovecotExtension dovecot = new DovecotExtension(DovecotServer.Layout.SLASH, 20);

  @TempDir Path state;

  @ParameterizedTest
  @ValueSource(
      strings = {
        "NO [THROTTLED] Too many commands, slow down",
        "NO [UNAVAILABLE] Server busy, try again later",
        "NO [LIMIT] Too many appends",
        "NO [INUSE] Mailbox in use by another session",
        "NO Request is throttled. Suggested Backoff Time: 2500 milliseconds",
        "NO [OVERQUOTA] Account exceeded command or bandwidth limits. (Failure)",
        "* BYE Server busy, come back later"
      })
  void
      a_signal_in_the_middle_of_the_run_is_waited_out_and_the_job_completes_with_every_message_once(
          String signal) throws Exception {
    Account source = Account.onDovecot(dovecot.server(), "sigsrc" + USERS.incrementAndGet());
    Account destination = Account.onDovecot(dovecot.server(), "sigdst" + USERS.get());
    // 150 messages go as three MULTIAPPENDs (64 and 36 in the first chunk of 100, then 50): the
    // signal answers the second, in the middle of the run.
    fill(source, 1, 150, 2_000);
    try (ThrottlingImapProxy proxy =
        new ThrottlingImapProxy(dovecot.server().host(), dovecot.server().imapPort())
            .answer("APPEND", 2, signal)) {

      var run = Mailferry.migrate(source, viaProxy(destination, proxy), state);

      assertThat(run.exitCode()).as(run.toString()).isZero();
      List<ThrottlingImapProxy.Seen> appends = proxy.seen("APPEND");
      int refused = indexOfRefused(appends);
      // One folder: the next APPEND came after the wait (at least half a second, or what the server
      // suggested).
      long waitedMillis =
          (appends.get(refused + 1).nanos() - appends.get(refused).nanos()) / 1_000_000;
      assertThat(waitedMillis).isGreaterThanOrEqualTo(signal.contains("2500") ? 2500 : 500);
      assertThat(Files.readString(state.resolve("mailferry.log")))
          .containsOnlyOnce("asks to slow down")
          .contains("fewer connections");
    }
    assertSameMessages(source, destination, 1);
  }

  @Test
  void after_a_signal_the_server_sees_half_as_many_connections() throws Exception {
    Account source = Account.onDovecot(dovecot.server(), "halfsrc");
    Account destination = Account.onDovecot(dovecot.server(), "halfdst");
    fill(source, 8, 12, 2_000);
    try (ThrottlingImapProxy proxy =
        new ThrottlingImapProxy(dovecot.server().host(), dovecot.server().imapPort())
            .answer("APPEND", 12, "NO [THROTTLED] slow down")) {

      var run =
          Mailferry.migrate(
              source,
              viaProxy(destination, proxy),
              state,
              "--max-connections",
              "4",
              "--max-messages-per-second",
              "12");

      assertThat(run.exitCode()).as(run.toString()).isZero();
      List<ThrottlingImapProxy.Seen> appends = proxy.seen("APPEND");
      int refused = indexOfRefused(appends);
      int before =
          appends.subList(0, refused).stream()
              .mapToInt(ThrottlingImapProxy.Seen::openConnections)
              .max()
              .orElseThrow();
      int atTheEnd =
          appends.subList(appends.size() - 20, appends.size()).stream()
              .mapToInt(ThrottlingImapProxy.Seen::openConnections)
              .max()
              .orElseThrow();
      System.out.printf(
          "destination connections open at an APPEND: up to %d before [THROTTLED], up to %d in the"
              + " last 20%n",
          before, atTheEnd);
      assertThat(before).isGreaterThanOrEqualTo(3);
      assertThat(atTheEnd).isLessThanOrEqualTo(2);
    }
    assertSameMessages(source, destination, 8);
  }

  @Test
  void a_login_refused_for_now_is_tried_again_later() throws Exception {
    Account source = Account.onDovecot(dovecot.server(), "loginsrc");
    Account destination = Account.onDovecot(dovecot.server(), "logindst");
    fill(source, 1, 5, 2_000);
    try (ThrottlingImapProxy proxy =
        new ThrottlingImapProxy(dovecot.server().host(), dovecot.server().imapPort())
            .answer("AUTHENTICATE", 1, "NO [UNAVAILABLE] Too many logins, try again later")
            .answer("LOGIN", 1, "NO [UNAVAILABLE] Too many logins, try again later")) {

      var run = Mailferry.migrate(source, viaProxy(destination, proxy), state);

      assertThat(run.exitCode()).as(run.toString()).isZero();
      assertThat(Files.readString(state.resolve("mailferry.log"))).contains("asks to slow down");
    }
    assertSameMessages(source, destination, 1);
  }

  @Test
  void a_server_that_keeps_throttling_stops_the_run_resumably_after_the_total_wait()
      throws Exception {
    Account source = Account.onDovecot(dovecot.server(), "keepsrc");
    Account destination = Account.onDovecot(dovecot.server(), "keepdst");
    fill(source, 1, 150, 2_000);
    try (ThrottlingImapProxy proxy =
        new ThrottlingImapProxy(dovecot.server().host(), dovecot.server().imapPort())) {
      for (int n = 2;
          n <= 100;
          n++) { // the first MULTIAPPEND (64 messages) passes, then only refusals
        proxy.answer("APPEND", n, "NO [THROTTLED] slow down");
      }

      var stopped =
          Mailferry.migrate(source, viaProxy(destination, proxy), state, "--max-backoff-wait", "3");

      assertThat(stopped.exitCode()).as(stopped.toString()).isEqualTo(75);
      assertThat(stopped.err())
          .contains("kept asking to slow down")
          .contains("--max-backoff-wait 3");

      proxy.stopAnswering();
      // Other caps and rates on the re-run: it still continues the stopped run, with the new
      // values.
      var resumed =
          Mailferry.migrate(
              source,
              viaProxy(destination, proxy),
              state,
              "--max-connections",
              "3",
              "--max-messages-per-second",
              "50");

      assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
      var status = Mailferry.run(java.util.Map.of(), "status", "--state-dir", state.toString());
      assertThat(status.out())
          .as(status.toString())
          .doesNotContain("ABANDONED")
          .contains("COMPLETED");
    }
    assertSameMessages(source, destination, 1);
  }

  private static int indexOfRefused(List<ThrottlingImapProxy.Seen> appends) {
    for (int i = 0; i < appends.size(); i++) {
      if (appends.get(i).refused()) {
        return i;
      }
    }
    throw new AssertionError("no APPEND was refused");
  }
}

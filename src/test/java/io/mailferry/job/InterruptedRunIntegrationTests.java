package io.mailferry.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailferry.cli.ExitCodes;
import io.mailferry.testsupport.Account;
import io.mailferry.testsupport.CuttingProxy;
import io.mailferry.testsupport.DovecotExtension;
import io.mailferry.testsupport.DovecotServer;
import io.mailferry.testsupport.FaultyImapProxy;
import io.mailferry.testsupport.Mailferry;
import io.mailferry.testsupport.TestMailbox;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The connection to the destination is cut in the middle of the run, inside a chunk whose ledger
 * rows therefore never commit although some of its messages were stored. Running the same command
 * again must leave every message at the destination exactly once.
 */
class InterruptedRunIntegrationTests {

  private static final int MESSAGES = 60;

  @RegisterExtension
  static DovecotExtension dovecot = new DovecotExtension(DovecotServer.Layout.SLASH);

  @TempDir Path state;

  @BeforeAll
  static void start() {
    // Retries back off from 1 s by default; 50 ms keeps these tests quick.
    System.setProperty("mailferry.retry-delay-ms", "50");
  }

  @AfterAll
  static void stop() {
    System.clearProperty("mailferry.retry-delay-ms");
  }

  @Test
  void an_append_whose_tagged_answer_is_lost_is_found_at_the_destination_and_not_sent_again()
      throws Exception {
    Account source = Account.onDovecot(dovecot.server(), "lostsrc");
    fill(source, "lost");
    dovecot.server().addUser("lostdst", "pw-lostdst");
    // Dovecot takes MULTIAPPEND: the first APPEND carries all the messages, and all of them are
    // stored.
    try (var proxy =
        new FaultyImapProxy(
            dovecot.server().host(),
            dovecot.server().imapPort(),
            "APPEND",
            1,
            FaultyImapProxy.Fault.SWALLOW_TAGGED_ANSWER)) {
      Account destination = Account.imap("127.0.0.1", proxy.port(), "lostdst", "pw-lostdst");

      var run = Mailferry.migrate(source, destination, state);

      assertThat(proxy.injected()).isTrue();
      assertThat(run.exitCode()).as(run.toString()).isZero();
      assertSameMessages(source, Account.onDovecotExisting(dovecot.server(), "lostdst"));
    }
  }

  @Test
  void a_bye_in_the_middle_of_a_fetch_from_the_source_is_retried_and_nothing_is_lost()
      throws Exception {
    Account direct = Account.onDovecot(dovecot.server(), "byesrc");
    fill(direct, "bye");
    Account destination = Account.onDovecot(dovecot.server(), "byedst");
    try (var proxy =
        new FaultyImapProxy(
            dovecot.server().host(),
            dovecot.server().imapPort(),
            "UID",
            2,
            FaultyImapProxy.Fault.BYE)) {
      Account source = Account.imap("127.0.0.1", proxy.port(), "byesrc", "pw-byesrc");

      var run = Mailferry.migrate(source, destination, state);

      assertThat(proxy.injected()).isTrue();
      assertThat(run.exitCode()).as(run.toString()).isZero();
      assertSameMessages(direct, destination);
    }
  }

  @Test
  void a_server_that_stops_answering_times_out_and_the_chunk_is_retried_on_a_new_connection()
      throws Exception {
    Account source = Account.onDovecot(dovecot.server(), "stallsrc");
    fill(source, "stall");
    dovecot.server().addUser("stalldst", "pw-stalldst");
    try (var proxy =
        new FaultyImapProxy(
            dovecot.server().host(),
            dovecot.server().imapPort(),
            "APPEND",
            1,
            FaultyImapProxy.Fault.STALL)) {
      Account destination = Account.imap("127.0.0.1", proxy.port(), "stalldst", "pw-stalldst");

      var run = Mailferry.migrate(source, destination, state, "--timeout", "2");

      assertThat(proxy.injected()).isTrue();
      assertThat(run.exitCode()).as(run.toString()).isZero();
      assertSameMessages(source, Account.onDovecotExisting(dovecot.server(), "stalldst"));
    }
  }

  @Test
  void a_cut_in_the_middle_of_a_fetch_from_the_source_is_retried_and_nothing_is_lost()
      throws Exception {
    Account direct = Account.onDovecot(dovecot.server(), "fetchcutsrc");
    fill(direct, "fetchcut");
    Account destination = Account.onDovecot(dovecot.server(), "fetchcutdst");
    // Counting what the server sends: the cut lands inside a FETCH response (about 300 KB of mail).
    try (var proxy =
        new CuttingProxy(dovecot.server().host(), dovecot.server().imapPort(), 150_000)
            .countingServerBytes()
            .healingAfterCut()) {
      Account source =
          Account.imap("127.0.0.1", proxy.port(), "fetchcutsrc", "pw-fetchcutsrc")
              .trusting(dovecot.server().certificatePem());

      var run = Mailferry.migrate(source, destination, state);

      assertThat(proxy.cuts()).isEqualTo(1);
      assertThat(run.exitCode()).as(run.toString()).isZero();
      assertSameMessages(direct, destination);
    }
  }

  private static void fill(Account account, String prefix) throws Exception {
    try (TestMailbox box = account.open()) {
      for (int i = 0; i < MESSAGES; i++) {
        box.append(
            "INBOX",
            LimitsIntegrationTests.message(prefix + "-" + i, 5_000),
            Set.of("\\Seen"),
            Instant.parse("2025-03-01T00:00:00Z").plusSeconds(i));
      }
    }
  }

  private static void assertSameMessages(Account source, Account destination) throws Exception {
    try (TestMailbox from = source.open();
        TestMailbox to = destination.open()) {
      var copied =
          to.messages("INBOX").stream().map(TestMailbox.StoredMessage::sha256).sorted().toList();
      var original =
          from.messages("INBOX").stream().map(TestMailbox.StoredMessage::sha256).sorted().toList();
      assertThat(copied).hasSize(MESSAGES).isEqualTo(original);
    }
  }

  @Test
  void a_connection_cut_mid_append_is_retried_on_a_new_connection_and_nothing_is_sent_twice()
      throws Exception {
    Account source = Account.onDovecot(dovecot.server(), "retrysrc");
    dovecot.server().addUser("retrydst", "pw-retrydst");
    try (TestMailbox box = source.open()) {
      for (int i = 0; i < MESSAGES; i++) {
        // Every other message has no Message-ID: the retry must tell them apart by SHA-256.
        byte[] raw = LimitsIntegrationTests.message("retry-" + i, 10_000);
        if (i % 2 == 1) {
          raw =
              new String(raw, java.nio.charset.StandardCharsets.ISO_8859_1)
                  .replaceFirst("Message-ID: <[^>]*>\r\n", "")
                  .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        }
        box.append(
            "INBOX", raw, Set.of("\\Seen"), Instant.parse("2025-03-01T00:00:00Z").plusSeconds(i));
      }
    }
    try (CuttingProxy proxy =
        new CuttingProxy(dovecot.server().host(), dovecot.server().imapPort(), 300_000)
            .healingAfterCut()) {
      Account destination =
          Account.imap("127.0.0.1", proxy.port(), "retrydst", "pw-retrydst")
              .trusting(dovecot.server().certificatePem());

      var run = Mailferry.migrate(source, destination, state);

      assertThat(proxy.cuts()).isEqualTo(1);
      assertThat(run.exitCode()).as(run.toString()).isZero();
      try (TestMailbox from = source.open();
          TestMailbox to = destination.open()) {
        var copied =
            to.messages("INBOX").stream().map(TestMailbox.StoredMessage::sha256).sorted().toList();
        var original =
            from.messages("INBOX").stream()
                .map(TestMailbox.StoredMessage::sha256)
                .sorted()
                .toList();
        assertThat(copied).hasSize(MESSAGES).isEqualTo(original);
      }
    }
  }

  @Test
  void a_run_cut_off_mid_chunk_exits_75_and_the_rerun_completes_with_every_message_once()
      throws Exception {
    Account source = Account.onDovecot(dovecot.server(), "cutsrc");
    dovecot.server().addUser("cutdst", "pw-cutdst");
    try (TestMailbox box = source.open()) {
      for (int i = 0; i < MESSAGES; i++) {
        box.append(
            "INBOX",
            LimitsIntegrationTests.message("cut-" + i, 100_000),
            Set.of("\\Seen"),
            Instant.parse("2025-03-01T00:00:00Z").plusSeconds(i));
      }
    }
    // STARTTLS passes through the proxy untouched: it only counts and cuts bytes. About 6 MB go in
    // MULTIAPPENDs of 4 MiB: the cut lands in the second, after the first was stored.
    try (CuttingProxy proxy =
        new CuttingProxy(dovecot.server().host(), dovecot.server().imapPort(), 5_000_000)) {
      Account destination =
          Account.imap("127.0.0.1", proxy.port(), "cutdst", "pw-cutdst")
              .trusting(dovecot.server().certificatePem());
      Account viaDovecot =
          Account.imap(dovecot.server().host(), dovecot.server().imapPort(), "cutdst", "pw-cutdst");

      var cutRun = Mailferry.migrate(source, destination, state);

      assertThat(proxy.hasCut()).as(cutRun.toString()).isTrue();
      assertThat(cutRun.exitCode()).as(cutRun.toString()).isEqualTo(ExitCodes.TEMPORARY);
      int storedBeforeResume;
      try (TestMailbox box = viaDovecot.open()) {
        storedBeforeResume = box.messages("INBOX").size();
      }
      assertThat(storedBeforeResume)
          .as("some messages arrived before the cut")
          .isBetween(1, MESSAGES - 1);

      proxy.heal();
      var rerun = Mailferry.migrate(source, destination, state);

      assertThat(rerun.exitCode()).as(rerun.toString()).isZero();
      try (TestMailbox from = source.open();
          TestMailbox to = viaDovecot.open()) {
        var copied =
            to.messages("INBOX").stream().map(TestMailbox.StoredMessage::sha256).sorted().toList();
        var original =
            from.messages("INBOX").stream()
                .map(TestMailbox.StoredMessage::sha256)
                .sorted()
                .toList();
        assertThat(copied).hasSize(MESSAGES).isEqualTo(original);
      }
    }
  }
}

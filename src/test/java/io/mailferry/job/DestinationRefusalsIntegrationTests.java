package io.mailferry.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailferry.cli.ExitCodes;
import io.mailferry.testsupport.Account;
import io.mailferry.testsupport.DovecotServer;
import io.mailferry.testsupport.Mailferry;
import io.mailferry.testsupport.TestMailbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A destination that refuses: one message (the run goes on) or every message (it is full). */
class DestinationRefusalsIntegrationTests {

  private static DovecotServer dovecot;

  @TempDir Path state;

  @BeforeAll
  static void start() {
    dovecot = DovecotServer.start(DovecotServer.Layout.SLASH);
  }

  @AfterAll
  static void stop() {
    dovecot.close();
  }

  @Test
  void a_message_the_destination_refuses_is_reported_and_the_rest_arrive_with_exit_1() throws Exception {
    Account source = account("refsrc", 0, 0);
    Account destination = account("refdst", 0, 20); // messages over 20 KB are refused
    try (TestMailbox box = source.open()) {
      box.append("INBOX", LimitsIntegrationTests.message("small-1", 3_000), Set.of(), Instant.parse("2025-01-01T00:00:00Z"));
      box.append("INBOX", LimitsIntegrationTests.message("large", 60_000), Set.of(), Instant.parse("2025-01-02T00:00:00Z"));
      box.append("INBOX", LimitsIntegrationTests.message("small-2", 3_000), Set.of(), Instant.parse("2025-01-03T00:00:00Z"));
    }
    Path report = state.resolve("report.json");

    var run = Mailferry.migrate(source, destination, state, "--report", report.toString());

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.SOME_FAILED);
    assertThat(run.out()).contains("failed UID 2").contains("refused");
    assertThat(Files.readString(report)).contains("\"failedCount\" : 1").contains("\"uid\" : 2");
    try (TestMailbox box = destination.open()) {
      assertThat(box.messages("INBOX")).extracting(TestMailbox.StoredMessage::messageId)
          .containsExactlyInAnyOrder("<small-1@example.org>", "<small-2@example.org>");
    }
  }

  @Test
  void a_destination_that_refuses_everything_stops_the_run_at_max_failures() throws Exception {
    Account source = account("maxsrc", 0, 0);
    Account destination = account("maxdst", 0, 20);
    try (TestMailbox box = source.open()) {
      for (int i = 0; i < 8; i++) {
        box.append("INBOX", LimitsIntegrationTests.message("too-big-" + i, 60_000), Set.of(),
            Instant.parse("2025-01-01T00:00:00Z").plusSeconds(i));
      }
    }

    var run = Mailferry.migrate(source, destination, state, "--max-failures", "3");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.SOME_FAILED);
    assertThat(run.err()).contains("Stopped after 3 messages were refused").contains("--max-failures 3");
    assertThat(run.err().strip().lines()).hasSize(1);
    assertThat(run.err()).contains("the last: [LIMIT] Mail size is larger");
  }

  @Test
  void a_full_destination_stops_the_run_with_exit_73_and_one_sentence() throws Exception {
    Account source = account("fullsrc", 0, 0);
    Account destination = account("fulldst", 100, 0); // 100 KB of storage
    try (TestMailbox box = source.open()) {
      for (int i = 0; i < 10; i++) {
        box.append("INBOX", LimitsIntegrationTests.message("m" + i, 30_000), Set.of(),
            Instant.parse("2025-01-01T00:00:00Z").plusSeconds(i));
      }
    }

    var run = Mailferry.migrate(source, destination, state);

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.CANT_CREATE);
    assertThat(run.err().strip().lines()).hasSize(1);
    assertThat(run.err()).contains("destination is full").doesNotContain("Exception");
  }

  private static Account account(String user, long storageKb, long maxMailKb) {
    dovecot.addUser(user, "pw-" + user, storageKb, 0, maxMailKb);
    return Account.imap(dovecot.host(), dovecot.imapPort(), user, "pw-" + user).trusting(dovecot.certificatePem());
  }
}

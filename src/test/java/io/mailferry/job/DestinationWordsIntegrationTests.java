package io.mailferry.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailferry.cli.ExitCodes;
import io.mailferry.testsupport.Account;
import io.mailferry.testsupport.DovecotExtension;
import io.mailferry.testsupport.DovecotServer;
import io.mailferry.testsupport.HardCases;
import io.mailferry.testsupport.Mailferry;
import io.mailferry.testsupport.ReportSchema;
import io.mailferry.testsupport.ScriptedImapDestination;
import io.mailferry.testsupport.ScriptedImapSource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a destination says in its own words (issue 16, cases 6 and 7): a full mailbox in Courier's,
 * Cyrus's and Dovecot's wording stops the run as full (exit 73) and a run after the quota is raised
 * completes it; a message the destination stored altered (Cyrus's munge8bit) is a warning per
 * message, found by reading back only the messages at risk; a refusal is a failure in the server's
 * words.
 */
class DestinationWordsIntegrationTests {

  private static final Instant DATE = Instant.parse("2025-05-01T08:00:00Z");
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @RegisterExtension
  static DovecotExtension dovecot = new DovecotExtension(DovecotServer.Layout.SLASH);

  @TempDir Path state;

  @ParameterizedTest
  @ValueSource(
      strings = {
        "[ALERT] You exceeded your mail quota", // Courier
        "Over quota", // Cyrus
        "[OVERQUOTA] Quota exceeded (mailbox for user is full)"
      }) // Dovecot
  void
      a_full_destination_in_its_own_words_stops_with_73_and_a_run_after_raising_the_quota_completes(
          String words) throws Exception {
    Account source = account("q" + Math.abs(words.hashCode()));
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      MigrateContract.append(
          source, "INBOX", MigrateContract.raw("quota-" + i), Set.of(), DATE.plusSeconds(i));
      ids.add("<quota-" + i + "@example.org>");
    }
    Path report = state.resolve("report.json");

    try (var full = new ScriptedImapDestination("\\Seen \\*").quota(3, words)) {
      Account destination = Account.imap("127.0.0.1", full.port(), "full", "pw");

      var run =
          Mailferry.migrate(
              source, destination, state, "--max-failures", "2", "--report", report.toString());

      assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.CANT_CREATE);
      assertThat(run.err().strip().lines()).hasSize(1);
      assertThat(run.err())
          .contains("The destination is full: " + words)
          .doesNotContain("Exception");
      JsonNode json = JSON.readTree(Files.readString(report));
      assertThat(ReportSchema.violations(Files.readString(report))).isEmpty();
      // What is printed is what the report says, and what the destination holds.
      assertThat(json.get("copied").asLong()).isEqualTo(3);
      assertThat(json.get("failed").asLong()).isZero();
      assertThat(run.out())
          .contains("The destination is full: 3 messages")
          .containsPattern("total\\s+8\\s+3\\s+0\\s+0\\s+0");
      assertThat(run.err()).contains("3 messages copied, up to 5");

      full.raiseQuota();
      var again = Mailferry.migrate(source, destination, state);

      assertThat(again.exitCode()).as(again.toString()).isZero();
      assertThat(messageIds(full.stored("INBOX"))).containsExactlyInAnyOrderElementsOf(ids);
    }
  }

  @Test
  void
      a_message_the_destination_stored_altered_is_a_warning_and_only_messages_at_risk_are_read_back()
          throws Exception {
    Account source = account("altersrc");
    byte[] eightBit = HardCases.eightBitHeadersUtf8().raw();
    // Lines over 998 octets (RFC 5322 2.1.1), one of them in an otherwise plain message: both at
    // risk.
    byte[] longLine =
        ("From: a@example.org\r\nSubject: long\r\nMessage-ID: <long@example.org>\r\n\r\n"
                + "x".repeat(1200)
                + "\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    byte[] longer =
        ("From: a@example.org\r\nSubject: longer\r\nMessage-ID: <longer@example.org>\r\n\r\n"
                + "y".repeat(5000)
                + "\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    MigrateContract.append(source, "INBOX", longer, Set.of(), DATE.plusSeconds(1));
    MigrateContract.append(source, "INBOX", eightBit, Set.of(), DATE);
    MigrateContract.append(source, "INBOX", longLine, Set.of(), DATE.plusSeconds(2));
    for (int i = 0; i < 3; i++) {
      MigrateContract.append(
          source, "INBOX", MigrateContract.raw("plain-" + i), Set.of(), DATE.plusSeconds(3 + i));
    }
    Path report = state.resolve("report.json");

    try (var cyrus =
        new ScriptedImapDestination("\\Seen \\*")
            .storeAs(ScriptedImapDestination::munge8bitHeader)
            // Cyrus refuses bare newlines; this one refuses the longest line, in its own words.
            .refuse(
                raw -> new String(raw, StandardCharsets.ISO_8859_1).contains("y".repeat(5000)),
                "Message contains a line longer than 4096 octets")) {
      Account destination = Account.imap("127.0.0.1", cyrus.port(), "cyrus", "pw");

      var run = Mailferry.migrate(source, destination, state, "--report", report.toString());

      assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.SOME_FAILED);
      assertThat(run.out())
          .contains("warning ×1: stored altered by the destination")
          .containsPattern(
              "failed UID \\d+: the destination refused it: Message contains a line longer than 4096 octets")
          .containsPattern("destination connections; 1 warning\\.");
      String json = Files.readString(report);
      assertThat(ReportSchema.violations(json)).isEmpty();
      JsonNode tree = JSON.readTree(json);
      assertThat(tree.get("warnings").asLong()).isEqualTo(1);
      assertThat(
              tree.get("folders").findValues("warnings").stream()
                  .mapToLong(w -> w.path("stored altered by the destination").asLong())
                  .sum())
          .isEqualTo(1);
      assertThat(tree.get("copied").asLong()).isEqualTo(5);
      // The 8-bit one and the long line were read back; the three plain ones were not.
      assertThat(cyrus.readBacks()).isEqualTo(2);
    }
  }

  @Test
  void
      a_bare_lf_message_the_destination_refuses_fails_in_its_words_and_an_altered_8bit_header_is_a_warning()
          throws Exception {
    // A real server serves CRLF whatever it stores: a scripted one serves the bare LF of a message
    // as it came.
    try (var source = new ScriptedImapSource();
        var cyrus =
            new ScriptedImapDestination("\\Seen \\*")
                .storeAs(ScriptedImapDestination::munge8bitHeader)
                .refuse(ScriptedImapDestination::hasBareLf, "Message contains bare newlines")) {
      String date = "\"01-May-2025 08:00:00 +0000\"";
      source.add(MigrateContract.raw("plain-0"), "", date);
      source.add(
          ("From: a@example.org\nSubject: bare\nMessage-ID: <bare@example.org>\n\nunix lines\n")
              .getBytes(StandardCharsets.US_ASCII),
          "",
          date);
      source.add(HardCases.eightBitHeadersUtf8().raw(), "\\Seen", date);
      source.add(MigrateContract.raw("plain-1"), "", date);
      Path report = state.resolve("report.json");

      var run =
          Mailferry.migrate(
              source.account(),
              Account.imap("127.0.0.1", cyrus.port(), "cyrus", "pw"),
              state,
              "--report",
              report.toString());

      assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.SOME_FAILED);
      assertThat(run.out())
          .contains("failed UID 2: the destination refused it: Message contains bare newlines")
          .contains("warning ×1: stored altered by the destination")
          .containsPattern("INBOX +4 +3 +0 +0 +1")
          .containsPattern("destination connections; 1 warning\\.");
      JsonNode tree = JSON.readTree(Files.readString(report));
      assertThat(tree.get("failed").asLong()).isEqualTo(1);
      assertThat(tree.get("warnings").asLong()).isEqualTo(1);
      assertThat(
              tree.get("folders")
                  .get(0)
                  .get("warnings")
                  .get("stored altered by the destination")
                  .asLong())
          .isEqualTo(1);
      assertThat(cyrus.stored("INBOX")).hasSize(3);
      assertThat(cyrus.readBacks()).as("only the 8-bit one is read back").isEqualTo(1);
    }
  }

  // ---- helpers

  private static List<String> messageIds(List<byte[]> stored) {
    List<String> ids = new ArrayList<>();
    for (byte[] raw : stored) {
      var m =
          java.util.regex.Pattern.compile("(?im)^Message-ID: *(<[^>]+>)")
              .matcher(new String(raw, StandardCharsets.ISO_8859_1));
      ids.add(m.find() ? m.group(1) : null);
    }
    return ids;
  }

  private static Account account(String user) {
    DovecotServer server = dovecot.server();
    server.addUser(user, "pw-" + user);
    return Account.imap(server.host(), server.imapPort(), user, "pw-" + user)
        .trusting(server.certificatePem());
  }
}

package io.mailferry.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import io.mailferry.testsupport.Account;
import io.mailferry.testsupport.Mailferry;
import io.mailferry.testsupport.QuickRetries;
import io.mailferry.testsupport.ScriptedImapSource;
import io.mailferry.testsupport.TestMailbox;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * An IMAP source whose FETCH answers do not parse (issue 16 case 4, issue 17.7): a bad date, a
 * negative size, an unknown system flag, a literal longer than announced, no answer at all. Nothing
 * may vanish: each message arrives (dated by its headers, with a warning) or is named as failed,
 * and the run then does not exit 0.
 */
@ExtendWith(QuickRetries.class)
class HostileListingIntegrationTests {

  private static final AtomicInteger USERS = new AtomicInteger();
  private static final String DATE = "\"01-Feb-2025 10:00:00 +0000\"";

  @RegisterExtension
  static GreenMailExtension destinationServer =
      new GreenMailExtension(
          new ServerSetup(3144, "127.0.0.1", ServerSetup.PROTOCOL_IMAP).dynamicPort());

  @TempDir Path state;

  @Test
  void
      messages_with_bad_dates_and_sizes_arrive_dated_by_their_headers_and_an_unreadable_one_is_named_with_exit_1()
          throws Exception {
    try (var source = new ScriptedImapSource()) {
      source.add(message("fine-1", "Tue, 4 Mar 2025 08:00:00 +0000", null), "\\Seen", DATE);
      source.add(
          message("nil-date", "Wed, 5 Mar 2025 09:00:00 +0000", "Wed, 5 Mar 2025 09:30:00 +0000"),
          "",
          "NIL");
      source.add(
          message("bad-date", null, "Thu, 6 Mar 2025 10:00:00 +0000"),
          "\\Answered",
          "\"99-Foo-2024 99:99:99 +9999\"");
      source.add(message("bad-size", "Fri, 7 Mar 2025 11:00:00 +0000", null), "", DATE).size("-5");
      byte[] broken = message("too-long", "Sat, 8 Mar 2025 12:00:00 +0000", null);
      String junk = "0123456789";
      source
          .add(broken, "", DATE)
          // Literals longer than announced: {10} and then 20 bytes.
          .listing(
              "* 5 FETCH (UID 5 FLAGS () RFC822.SIZE "
                  + broken.length
                  + " INTERNALDATE "
                  + DATE
                  + " BODY[HEADER.FIELDS (MESSAGE-ID)] {10}\r\n"
                  + junk
                  + junk
                  + ")\r\n")
          .body("* 5 FETCH (UID 5 BODY[] {10}\r\n" + junk + junk + ")\r\n");
      source.add(message("fine-2", "Sun, 9 Mar 2025 13:00:00 +0000", null), "", DATE);
      Account destination = destination();
      Path report = state.resolve("report.json");

      var run =
          Mailferry.migrate(source.account(), destination, state, "--report", report.toString());

      assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
      Map<String, Instant> dates = dates(destination);
      assertThat(dates)
          .containsOnlyKeys(
              "<fine-1@example.org>",
              "<nil-date@example.org>",
              "<bad-date@example.org>",
              "<bad-size@example.org>",
              "<fine-2@example.org>");
      assertThat(dates.get("<fine-1@example.org>"))
          .isEqualTo(Instant.parse("2025-02-01T10:00:00Z"));
      assertThat(dates.get("<nil-date@example.org>"))
          .as("its Received:, not its Date:")
          .isEqualTo(Instant.parse("2025-03-05T09:00:00Z"));
      assertThat(dates.get("<bad-date@example.org>"))
          .as("the Date: header")
          .isEqualTo(Instant.parse("2025-03-06T10:00:00Z"));
      assertThat(run.out())
          .contains("failed UID 5")
          .contains("INTERNALDATE is NIL")
          .contains("INTERNALDATE unreadable")
          .contains("RFC822.SIZE unreadable")
          .doesNotContain("expunged");
      assertThat(run.out()).containsPattern("INBOX +6 +5 +0 +0 +1");
      String json = Files.readString(report);
      assertThat(json)
          .contains("\"failedCount\" : 1")
          .contains("\"uid\" : 5")
          .contains("\"atSource\" : 6");
    }
  }

  @Test
  void a_folder_of_six_whose_server_answers_for_four_is_a_failure_named_not_four_of_four_copied()
      throws Exception {
    try (var source = new ScriptedImapSource()) {
      for (int i = 1; i <= 6; i++) {
        var m = source.add(message("m" + i, "Tue, 4 Mar 2025 08:00:00 +0000", null), "", DATE);
        if (i == 2) {
          m.listing(""); // no answer at all
        } else if (i == 4) {
          m.listing("* 4 FETCH (FLAGS (\\Seen) garbled\r\n"); // no UID, does not parse
        }
      }
      Account destination = destination();

      var run = Mailferry.migrate(source.account(), destination, state);

      assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
      assertThat(dates(destination)).hasSize(4);
      assertThat(run.out())
          .contains("2 messages of the folder could not be listed")
          .containsPattern("INBOX +6 +4 +0 +0 +2");
    }
  }

  @Test
  void
      a_message_the_server_still_lists_but_whose_body_it_does_not_send_fails_and_is_not_called_expunged()
          throws Exception {
    try (var source = new ScriptedImapSource()) {
      source.add(message("kept", "Tue, 4 Mar 2025 08:00:00 +0000", null), "", DATE);
      source.add(message("silent", "Tue, 4 Mar 2025 08:00:00 +0000", null), "", DATE).body("");
      Account destination = destination();

      var run = Mailferry.migrate(source.account(), destination, state);

      assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
      assertThat(dates(destination)).containsOnlyKeys("<kept@example.org>");
      assertThat(run.out()).contains("failed UID 2").doesNotContain("expunged");
      assertThat(source.commands()).anyMatch(c -> c.startsWith("UID SEARCH UID 2"));
    }
  }

  @Test
  void
      a_message_of_unknown_size_whose_uid_fetch_the_server_ignores_fails_and_is_not_called_expunged()
          throws Exception {
    try (var source = new ScriptedImapSource()) {
      source.add(message("kept", "Tue, 4 Mar 2025 08:00:00 +0000", null), "", DATE);
      // Its size unreadable, so it is fetched alone (Angus first asks UID FETCH 2 (UID)), and
      // ignored.
      source
          .add(message("ignored", "Tue, 4 Mar 2025 08:00:00 +0000", null), "", DATE)
          .size("-5")
          .uidOnly("");
      Account destination = destination();

      var run = Mailferry.migrate(source.account(), destination, state);

      assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
      assertThat(dates(destination)).containsOnlyKeys("<kept@example.org>");
      assertThat(run.out())
          .contains("failed UID 2")
          .contains("still lists it but did not answer a FETCH of it")
          .doesNotContain("expunged");
      assertThat(source.commands()).anyMatch(c -> c.equalsIgnoreCase("UID FETCH 2 (UID)"));
    }
  }

  @Test
  void
      an_unknown_system_flag_is_dropped_with_a_warning_and_a_year_0000_date_falls_back_to_the_received_header()
          throws Exception {
    try (var source = new ScriptedImapSource()) {
      source.add(
          message("foo-flag", "Mon, 10 Mar 2025 14:00:00 +0000", null),
          "\\Seen \\Foo $Label1",
          DATE);
      source.add(
          message("year-zero", "Tue, 11 Mar 2025 15:00:00 +0000", null),
          "",
          "\"01-Jan-0000 00:00:00 +0000\"");
      Account destination = destination();

      var run = Mailferry.migrate(source.account(), destination, state);

      assertThat(run.exitCode()).as(run.toString()).isZero();
      try (TestMailbox box = destination.open()) {
        var byId =
            box.messages("INBOX").stream()
                .collect(Collectors.toMap(TestMailbox.StoredMessage::messageId, m -> m));
        assertThat(byId.get("<foo-flag@example.org>").flags())
            .containsExactlyInAnyOrder("\\Seen", "$Label1");
        assertThat(byId.get("<year-zero@example.org>").internalDate())
            .isEqualTo(Instant.parse("2025-03-11T15:00:00Z"));
      }
      assertThat(run.out())
          .contains("flag \\Foo is neither an IMAP system flag nor a keyword: dropped")
          .contains("INTERNALDATE unreadable");
    }
  }

  @Test
  void a_mirror_backup_whose_listing_misses_messages_removes_nothing_from_the_archive()
      throws Exception {
    try (var source = new ScriptedImapSource()) {
      var messages = new java.util.ArrayList<ScriptedImapSource.Message>();
      for (int i = 1; i <= 4; i++) {
        messages.add(
            source.add(message("m" + i, "Tue, 4 Mar 2025 08:00:00 +0000", null), "", DATE));
      }
      Path archive = state.resolve("archive");
      assertThat(backup(source, archive).exitCode()).isZero();
      assertThat(archived(archive)).hasSize(4);
      messages.get(1).listing(""); // the second run's listing has no answer for UIDs 2 and 3
      messages.get(2).listing("* 3 FETCH (FLAGS (\\Seen) garbled\r\n");

      var run = backup(source, archive);

      assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
      assertThat(archived(archive)).as("nothing swept").hasSize(4);
      assertThat(run.out())
          .doesNotContain("removed from the archive")
          .contains(
              "the listing was incomplete, so no archived message was marked or removed as gone from the source");
    }
  }

  /** The message files of the archive's INBOX (its top-level Maildir). */
  private static java.util.List<Path> archived(Path archive) throws java.io.IOException {
    try (var files = Files.list(archive.resolve("cur"))) {
      return files.toList();
    }
  }

  private Mailferry.Result backup(ScriptedImapSource source, Path archive) {
    return Mailferry.run(
        Map.of("MAILFERRY_FROM_PASSWORD", source.account().password()),
        "backup",
        "--from",
        source.account().url(),
        "--to",
        archive.toString(),
        "--state-dir",
        state.toString(),
        "--mirror");
  }

  @Test
  void a_large_message_whose_uid_fetch_the_server_ignores_fails_and_is_not_called_expunged()
      throws Exception {
    try (var source = new ScriptedImapSource()) {
      source.add(message("kept", "Tue, 4 Mar 2025 08:00:00 +0000", null), "", DATE);
      // Above the in-memory limit: fetched alone, in pieces, after Angus's UID FETCH 2 (UID), which
      // is ignored.
      byte[] large =
          (new String(
                      message("large", "Tue, 4 Mar 2025 08:00:00 +0000", null),
                      StandardCharsets.US_ASCII)
                  + "x".repeat(78).concat("\r\n").repeat(70_000))
              .getBytes(StandardCharsets.US_ASCII);
      source.add(large, "", DATE).uidOnly("");
      Account destination = destination();

      var run = Mailferry.migrate(source.account(), destination, state);

      assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
      assertThat(dates(destination)).containsOnlyKeys("<kept@example.org>");
      assertThat(run.out())
          .contains("failed UID 2")
          .contains("still lists it but did not answer a FETCH of it")
          .doesNotContain("expunged");
    }
  }

  @Test
  void a_servers_words_with_terminal_escapes_are_printed_escaped_in_the_one_sentence()
      throws Exception {
    try (var source = new ScriptedImapSource()) {
      // An ESC sequence that would retitle the terminal, and one that clears it.
      source.refuseLogin("\u001b]0;owned\u0007 \u001b[2J go away");

      var run = Mailferry.migrate(source.account(), destination(), state);

      assertThat(run.exitCode()).as(run.toString()).isEqualTo(77);
      assertThat(run.out() + run.err())
          .doesNotContain("\u001b")
          .doesNotContain("\u0007")
          .contains("\\x1B]0;owned\\x07 \\x1B[2J go away");
    }
  }

  /**
   * A message with a Received: header dated {@code received} and a Date: header (either may be
   * null).
   */
  static byte[] message(String id, String received, String date) {
    StringBuilder m = new StringBuilder();
    if (received != null) {
      m.append("Received: from relay.example.org by mx.example.org; ")
          .append(received)
          .append("\r\n");
    }
    if (date != null) {
      m.append("Date: ").append(date).append("\r\n");
    }
    m.append("From: a@example.org\r\nSubject: ")
        .append(id)
        .append("\r\nMessage-ID: <")
        .append(id)
        .append("@example.org>\r\n\r\nbody of ")
        .append(id)
        .append("\r\n");
    return m.toString().getBytes(StandardCharsets.US_ASCII);
  }

  private static Map<String, Instant> dates(Account account) throws Exception {
    try (TestMailbox box = account.open()) {
      return box.messages("INBOX").stream()
          .collect(
              Collectors.toMap(
                  TestMailbox.StoredMessage::messageId, TestMailbox.StoredMessage::internalDate));
    }
  }

  private static Account destination() {
    String user = "dst" + USERS.incrementAndGet();
    destinationServer.setUser(user + "@new.example", user, "pw-" + user);
    return Account.imap("127.0.0.1", destinationServer.getImap().getPort(), user, "pw-" + user);
  }
}

package io.mailferry.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailferry.testsupport.Account;
import io.mailferry.testsupport.HardCases;
import io.mailferry.testsupport.Mailferry;
import io.mailferry.testsupport.TestMailbox;
import io.mailferry.testsupport.TestMailbox.StoredMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What `mailferry migrate --from pop3://…` must do against any POP3 server: every message in the
 * destination's INBOX (or --to-folder) with its bytes unchanged and its date from Received:,
 * exactly once however often it runs, and deleted at the source only when asked and only after its
 * copy is safe. The source is seeded and checked over IMAP (the same mailbox).
 */
abstract class Pop3Contract {

  @TempDir Path state;

  /** The POP3 mailbox reached over IMAP, for seeding and checking. */
  Account sourceMailbox;

  /** The same mailbox as mailferry reads it. */
  Account source;

  Account destination;

  protected abstract Account newSourceMailbox();

  protected abstract Account overPop3(Account mailbox);

  protected abstract Account newDestinationAccount();

  /** The hard cases this server's POP3 side serves unchanged (what it serves is what we copy). */
  protected List<HardCases.HardCase> servedUnchanged() {
    return HardCases.all();
  }

  @BeforeEach
  void accounts() {
    sourceMailbox = newSourceMailbox();
    source = overPop3(sourceMailbox);
    destination = newDestinationAccount();
  }

  @Test
  void every_message_arrives_in_inbox_byte_for_byte_dated_by_its_newest_received_header()
      throws Exception {
    for (var c : servedUnchanged()) {
      seed(c.raw());
    }
    seed(
        received(
            "relayed",
            "Mon, 2 Mar 2026 08:00:00 +0000",
            "Mon, 2 Mar 2026 09:30:00 +0100",
            "Mon, 2 Mar 2026 07:59:00 +0000"));
    // Not 12:xx: GreenMail reads an APPEND date's hour on a 12-hour clock, so 12:00 becomes 00:00.
    seed(received("date-only", null, null, "Tue, 3 Mar 2026 11:00:00 +0000"));

    var run = Mailferry.migrate(source, destination, state);

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(shas(destination, "INBOX")).isEqualTo(shas(sourceMailbox, "INBOX"));
    Map<String, Instant> dates = datesBySubject(destination, "INBOX");
    // The newest of the two Received: dates is 08:30Z (09:30 +0100), not the Date: field.
    assertThat(dates.get("relayed")).isEqualTo(Instant.parse("2026-03-02T08:30:00Z"));
    assertThat(dates.get("date-only")).isEqualTo(Instant.parse("2026-03-03T11:00:00Z"));
    assertThat(count(sourceMailbox, "INBOX"))
        .as("leave on server is the default")
        .isEqualTo(servedUnchanged().size() + 2);
  }

  @Test
  void a_rerun_copies_nothing_and_new_mail_alone_is_copied_later() throws Exception {
    for (int i = 0; i < 5; i++) {
      seed(received("first-" + i, null, null, "Wed, 4 Mar 2026 10:0" + i + ":00 +0000"));
    }
    assertThat(Mailferry.migrate(source, destination, state).exitCode()).isZero();

    var again = Mailferry.migrate(source, destination, state);
    assertThat(again.exitCode()).as(again.toString()).isZero();
    assertThat(copied(again)).isZero();

    seed(received("later-1", null, null, "Thu, 5 Mar 2026 10:00:00 +0000"));
    seed(received("later-2", null, null, "Thu, 5 Mar 2026 11:00:00 +0000"));
    var third = Mailferry.migrate(source, destination, state);

    assertThat(third.exitCode()).as(third.toString()).isZero();
    assertThat(copied(third)).isEqualTo(2);
    assertThat(shas(destination, "INBOX")).isEqualTo(shas(sourceMailbox, "INBOX")).hasSize(7);
  }

  @Test
  void delete_after_copy_empties_the_source_and_every_message_is_at_the_destination_once()
      throws Exception {
    for (var c : HardCases.exactDuplicates()) {
      seed(c.raw());
    }
    for (int i = 0; i < 4; i++) {
      seed(received("moved-" + i, null, null, "Fri, 6 Mar 2026 10:0" + i + ":00 +0000"));
    }
    List<String> before = shas(sourceMailbox, "INBOX");

    var run = Mailferry.migrate(source, destination, state, "--delete-after-copy");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(count(sourceMailbox, "INBOX")).isZero();
    assertThat(shas(destination, "INBOX")).isEqualTo(before);
    var again = Mailferry.migrate(source, destination, state, "--delete-after-copy");
    assertThat(again.exitCode()).as(again.toString()).isZero();
    assertThat(copied(again)).isZero();
    assertThat(shas(destination, "INBOX")).isEqualTo(before);
  }

  @Test
  void delete_older_than_deletes_only_copied_messages_that_old() throws Exception {
    seed(received("old", null, null, "Mon, 6 Jan 2020 10:00:00 +0000"));
    String recent =
        java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(
            java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).minusDays(2));
    seed(received("recent", null, null, recent));
    List<String> before = shas(sourceMailbox, "INBOX");

    var run = Mailferry.migrate(source, destination, state, "--delete-older-than", "30");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(shas(destination, "INBOX")).isEqualTo(before);
    assertThat(datesBySubject(sourceMailbox, "INBOX")).containsOnlyKeys("recent");
  }

  @Test
  void to_folder_puts_the_mailbox_into_that_folder() throws Exception {
    seed(received("filed", null, null, "Sat, 7 Mar 2026 10:00:00 +0000"));

    var run = Mailferry.migrate(source, destination, state, "--to-folder", "Archive/Old ISP");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(shas(destination, "Archive/Old ISP")).isEqualTo(shas(sourceMailbox, "INBOX"));
    assertThat(count(destination, "INBOX")).isZero();
  }

  @Test
  void dry_run_counts_what_is_new_and_writes_and_deletes_nothing() throws Exception {
    seed(received("dry-1", null, null, "Sun, 8 Mar 2026 10:00:00 +0000"));
    seed(received("dry-2", null, null, "Sun, 8 Mar 2026 11:00:00 +0000"));

    var run = Mailferry.migrate(source, destination, state, "--dry-run", "--delete-after-copy");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(
            run.out()
                .lines()
                .filter(l -> l.startsWith("INBOX "))
                .findFirst()
                .orElseThrow()
                .trim()
                .split("\\s+"))
        .contains("2");
    assertThat(count(destination, "INBOX")).isZero();
    assertThat(count(sourceMailbox, "INBOX")).isEqualTo(2);
  }

  @Test
  void an_imap_only_option_or_a_pop3_destination_is_refused_in_one_line() {
    var toPop = Mailferry.migrate(destination, source, state);
    assertThat(toPop.exitCode()).isEqualTo(64);
    assertThat(toPop.err())
        .contains("destination must be imap:// or imaps://")
        .doesNotContain("Exception");
    var both =
        Mailferry.migrate(
            source, destination, state, "--delete-after-copy", "--delete-older-than", "3");
    assertThat(both.exitCode()).isEqualTo(64);
  }

  // --- helpers

  /** The "copied" column of the summary's total line. */
  static long copied(Mailferry.Result run) {
    String total = run.out().lines().filter(l -> l.startsWith("total ")).findFirst().orElseThrow();
    return Long.parseLong(total.trim().split("\\s+")[2]);
  }

  void seed(byte[] raw) throws Exception {
    try (TestMailbox box = sourceMailbox.open()) {
      box.append("INBOX", raw, Set.of(), Instant.parse("2026-01-01T00:00:00Z"));
    }
  }

  /**
   * A message with up to two Received: fields (newest first, as relays prepend them) and a Date:.
   */
  static byte[] received(String subject, String received1, String received2, String date) {
    StringBuilder b = new StringBuilder();
    if (received1 != null) {
      b.append("Received: from mx.example.net by pop.example.org;\r\n\t")
          .append(received1)
          .append("\r\n");
    }
    if (received2 != null) {
      b.append("Received: from relay.example.com by mx.example.net; ")
          .append(received2)
          .append("\r\n");
    }
    b.append("From: a@example.org\r\nTo: b@example.org\r\nSubject: ")
        .append(subject)
        .append("\r\nDate: ")
        .append(date)
        .append("\r\nMessage-ID: <")
        .append(subject)
        .append("@pop3.example.org>\r\n\r\nbody of ")
        .append(subject)
        .append("\r\n.hidden dot line\r\n");
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  static List<String> shas(Account account, String path) throws Exception {
    try (TestMailbox box = account.open()) {
      // The Message-ID beside the hash only makes a failure readable.
      return box.messages(account.serverName(path)).stream()
          .map(m -> m.sha256() + " " + m.messageId())
          .sorted()
          .toList();
    }
  }

  static int count(Account account, String path) throws Exception {
    try (TestMailbox box = account.open()) {
      return box.count(account.serverName(path));
    }
  }

  /**
   * Subject → INTERNALDATE, for the messages made by {@link #received} (their Message-ID names the
   * subject).
   */
  static Map<String, Instant> datesBySubject(Account account, String path) throws Exception {
    String suffix = "@pop3.example.org>";
    try (TestMailbox box = account.open()) {
      return box.messages(account.serverName(path)).stream()
          .filter(m -> m.messageId() != null && m.messageId().endsWith(suffix))
          .collect(
              Collectors.toMap(
                  m -> m.messageId().substring(1, m.messageId().length() - suffix.length()),
                  StoredMessage::internalDate,
                  (a, b) -> a));
    }
  }
}

package io.mailferry.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailferry.demo.SampleMailbox;
import io.mailferry.demo.SampleMessage;
import io.mailferry.testsupport.Account;
import io.mailferry.testsupport.HardCases;
import io.mailferry.testsupport.Mailferry;
import io.mailferry.testsupport.TestMailbox;
import io.mailferry.testsupport.TestMailbox.StoredMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What `mailferry migrate` must do against any pair of IMAP servers. Each server kind runs it once
 * (GreenMail in-process, a real Dovecot); every assertion looks at what a user would see at the
 * destination: folders, bytes (SHA-256), flags, keywords and INTERNALDATE.
 */
abstract class MigrateContract {

  @TempDir Path state;

  Account source;
  Account destination;

  protected abstract Account newSourceAccount();

  protected abstract Account newDestinationAccount();

  /** The source server offers CONDSTORE (RFC 7162), so an unchanged folder is never listed. */
  protected boolean sourceOffersCondstore() {
    return true;
  }

  @BeforeEach
  void accounts() {
    source = newSourceAccount();
    destination = newDestinationAccount();
  }

  @Test
  void sample_mailbox_arrives_with_every_folder_flag_keyword_date_and_byte() throws Exception {
    seedSample(source);

    var run = Mailferry.migrate(source, destination, state);

    assertThat(run.exitCode()).as(run.toString()).isZero();
    var atSource = snapshot(source);
    var atDestination = snapshot(destination);
    for (List<String> folder : SampleMailbox.folders()) {
      String path = String.join("/", folder);
      assertThat(atDestination).as("folder %s at the destination", path).containsKey(path);
      assertThat(atDestination.get(path)).as("messages of %s", path).isEqualTo(atSource.get(path));
    }
    assertThat(atDestination.get("Work/Projects/2026")).as("empty nested folder").isEmpty();
    assertThat(atDestination.get("INBOX")).isNotEmpty();
  }

  @Test
  void hard_cases_arrive_byte_for_byte_and_deleted_ones_are_skipped() throws Exception {
    for (var c : HardCases.all()) {
      append(source, "Hard", c.raw(), c.flags(), c.internalDate());
    }

    var run = Mailferry.migrate(source, destination, state);

    assertThat(run.exitCode()).as(run.toString()).isZero();
    List<Snap> expected =
        snapshot(source).get("Hard").stream()
            .filter(s -> !s.flags().contains("\\Deleted"))
            .toList();
    assertThat(snapshot(destination).get("Hard")).isEqualTo(expected);
    assertThat(expected).hasSize(HardCases.all().size() - 1);
    assertThat(run.out()).contains("flagged \\Deleted");
  }

  @Test
  void a_rerun_copies_nothing_and_new_mail_alone_is_copied_next() throws Exception {
    seedSample(source);
    assertThat(Mailferry.migrate(source, destination, state).exitCode()).isZero();

    Path report = state.resolve("again.json");
    var again = Mailferry.migrate(source, destination, state, "--report", report.toString());
    assertThat(again.exitCode()).as(again.toString()).isZero();
    assertThat(totalCopied(Files.readString(report))).isZero();
    if (sourceOffersCondstore()) {
      // Every folder is unchanged, flags too (HIGHESTMODSEQ): the quota step's STATUS of each (one
      // connection) is all it asks. Without CONDSTORE a flag change shows nowhere but in a
      // listing, so every folder is listed again.
      assertThat(reportField(Files.readString(report), "peakSourceConnections")).isEqualTo(1);
    }

    append(
        source,
        "Work/Projects",
        HardCases.all().get(0).raw(),
        Set.of("\\Seen"),
        Instant.parse("2026-11-01T10:00:00Z"));
    var third = Mailferry.migrate(source, destination, state, "--report", report.toString());
    assertThat(third.exitCode()).as(third.toString()).isZero();
    assertThat(totalCopied(Files.readString(report))).isEqualTo(1);
    assertThat(snapshot(destination).get("Work/Projects"))
        .isEqualTo(snapshot(source).get("Work/Projects"));
  }

  @Test
  void a_message_skipped_as_deleted_is_copied_by_a_rerun_once_undeleted() throws Exception {
    // The first run skips one message, so the folder is not "all copied": the re-run, although
    // UIDNEXT and MESSAGES did not move, lists it again and finds the message.
    append(
        source,
        "Later",
        HardCases.all().get(0).raw(),
        Set.of(),
        Instant.parse("2026-01-01T10:00:00Z"));
    append(
        source,
        "Later",
        HardCases.all().get(1).raw(),
        Set.of("\\Deleted"),
        Instant.parse("2026-01-02T10:00:00Z"));
    assertThat(Mailferry.migrate(source, destination, state).exitCode()).isZero();
    assertThat(snapshot(destination).get("Later")).hasSize(1);
    try (TestMailbox box = source.open()) {
      box.undelete(source.serverName("Later"), 2);
    }

    Path report = state.resolve("undeleted.json");
    var again = Mailferry.migrate(source, destination, state, "--report", report.toString());

    assertThat(again.exitCode()).as(again.toString()).isZero();
    assertThat(totalCopied(Files.readString(report))).isEqualTo(1);
    assertThat(snapshot(destination).get("Later")).isEqualTo(snapshot(source).get("Later"));
  }

  @Test
  void messages_already_at_the_destination_are_not_copied_again() throws Exception {
    List<HardCases.HardCase> cases =
        HardCases.all().stream().filter(c -> !c.flags().contains("\\Deleted")).toList();
    for (var c : cases) {
      append(source, "Hard", c.raw(), c.flags(), c.internalDate());
    }
    // Another tool copied some of them before: one of two exact duplicates, one of two messages
    // that differ only inside (same Message-ID, size and date), one without Message-ID.
    for (var c : cases) {
      if (Set.of("duplicate-1", "same-key-b", "no-message-id", "shared-id-2").contains(c.name())) {
        append(destination, "Hard", c.raw(), c.flags(), c.internalDate());
      }
    }

    var run = Mailferry.migrate(source, destination, state);

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(snapshot(destination).get("Hard")).isEqualTo(snapshot(source).get("Hard"));
  }

  @Test
  void the_source_is_left_untouched() throws Exception {
    seedSample(source);
    var before = snapshot(source);

    assertThat(Mailferry.migrate(source, destination, state).exitCode()).isZero();

    assertThat(snapshot(source)).isEqualTo(before);
  }

  @Test
  void special_use_folders_map_onto_the_destinations_own_with_their_subfolders() throws Exception {
    append(
        source,
        "Sent Items",
        raw("sent-1"),
        Set.of("\\Seen"),
        Instant.parse("2025-01-01T00:00:00Z"));
    append(
        source,
        "Sent Items/2024",
        raw("sent-2"),
        Set.of("\\Seen"),
        Instant.parse("2024-01-01T00:00:00Z"));
    append(source, "Work/Projects", raw("work"), Set.of(), Instant.parse("2025-02-01T00:00:00Z"));

    var run = Mailferry.migrate(source, destination, state);

    assertThat(run.exitCode()).as(run.toString()).isZero();
    var atDestination = snapshot(destination);
    var atSource = snapshot(source);
    assertThat(atDestination.get("Sent")).isEqualTo(atSource.get("Sent Items"));
    assertThat(atDestination.get("Sent/2024")).isEqualTo(atSource.get("Sent Items/2024"));
    assertThat(atDestination.get("Work/Projects")).isEqualTo(atSource.get("Work/Projects"));
    assertThat(atDestination).doesNotContainKey("Sent Items");
  }

  @Test
  void subscriptions_are_kept() throws Exception {
    append(source, "Lists/dev", raw("list"), Set.of(), Instant.parse("2025-03-01T00:00:00Z"));
    append(source, "Quiet", raw("quiet"), Set.of(), Instant.parse("2025-03-02T00:00:00Z"));
    try (TestMailbox box = source.open()) {
      box.subscribe(source.serverName("Lists/dev"));
    }

    assertThat(Mailferry.migrate(source, destination, state).exitCode()).isZero();

    try (TestMailbox box = destination.open()) {
      assertThat(box.subscribed())
          .contains(destination.serverName("Lists/dev"))
          .doesNotContain(destination.serverName("Quiet"));
    }
  }

  @Test
  void include_exclude_and_folder_map_select_and_rename_by_utf8_names() throws Exception {
    seedSample(source);

    var run =
        Mailferry.migrate(
            source,
            destination,
            state,
            "--include",
            "Work*",
            "--include",
            "Família",
            "--exclude",
            "Work/Projects/*",
            "--folder-map",
            "Família=Famille/Família");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    var atDestination = snapshot(destination);
    var atSource = snapshot(source);
    assertThat(atDestination.get("Work/Projects")).isEqualTo(atSource.get("Work/Projects"));
    assertThat(atDestination.get("Famille/Família")).isEqualTo(atSource.get("Família"));
    assertThat(atDestination).doesNotContainKeys("Work/Projects/2026", "日本語", "Família");
  }

  @Test
  void a_changed_uidvalidity_at_the_source_causes_no_duplicates() throws Exception {
    List<SampleMessage> work =
        SampleMailbox.messages().stream()
            .filter(m -> String.join("/", m.folder()).equals("Work/Projects"))
            .toList();
    for (SampleMessage m : work) {
      append(source, "Re", m.raw(), m.flags(), m.internalDate());
    }
    assertThat(Mailferry.migrate(source, destination, state).exitCode()).isZero();
    long before = uidValidity(source, "Re");

    // The folder is rebuilt at the source (a server restore): same messages, new UIDVALIDITY.
    try (TestMailbox box = source.open()) {
      box.deleteFolder(source.serverName("Re"));
    }
    Thread.sleep(1100); // Dovecot derives UIDVALIDITY from the clock
    for (SampleMessage m : work) {
      append(source, "Re", m.raw(), m.flags(), m.internalDate());
    }
    assertThat(uidValidity(source, "Re")).isNotEqualTo(before);

    var run = Mailferry.migrate(source, destination, state);

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(snapshot(destination).get("Re")).isEqualTo(snapshot(source).get("Re"));
  }

  @Test
  void dry_run_prints_the_plan_and_writes_nothing() throws Exception {
    seedSample(source);
    var foldersBefore = folderNames(destination);

    var run = Mailferry.migrate(source, destination, state, "--dry-run");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out()).contains("Work/Projects").contains("日本語").contains("dry run");
    assertThat(run.out()).containsPattern("total\\s+" + SampleMailbox.messages().size() + "\\s");
    assertThat(folderNames(destination)).isEqualTo(foldersBefore);
  }

  // ---- helpers: everything below reads and writes the servers directly, not through mailferry

  /** A message as the user sees it; uid left out since it differs between servers. */
  record Snap(String sha256, Set<String> flags, Instant internalDate) {}

  static void seedSample(Account account) throws Exception {
    try (TestMailbox box = account.open()) {
      for (List<String> folder : SampleMailbox.folders()) {
        String name = account.serverName(String.join("/", folder));
        if (!name.equals("INBOX") && !box.folders().contains(name)) {
          box.createFolder(name);
        }
      }
    }
    for (SampleMessage m : SampleMailbox.messages()) {
      append(account, String.join("/", m.folder()), m.raw(), m.flags(), m.internalDate());
    }
  }

  static void append(
      Account account, String path, byte[] raw, Collection<String> flags, Instant date)
      throws Exception {
    String name = account.serverName(path);
    try (TestMailbox box = account.open()) {
      if (!name.equals("INBOX") && !box.folders().contains(name)) {
        box.createFolder(name);
      }
      box.append(name, raw, flags, date);
    }
  }

  static byte[] raw(String subject) {
    return ("From: a@example.org\r\nTo: b@example.org\r\nSubject: "
            + subject
            + "\r\nMessage-ID: <"
            + subject
            + "@example.org>\r\n\r\nbody of "
            + subject
            + "\r\n")
        .getBytes();
  }

  /** Every folder by its '/'-written path without the namespace prefix → its messages, sorted. */
  static Map<String, List<Snap>> snapshot(Account account) throws Exception {
    Map<String, List<Snap>> out = new TreeMap<>();
    try (TestMailbox box = account.open()) {
      String prefix = box.personalPrefix();
      char sep = box.separator();
      for (String name : box.folders()) {
        String relative =
            name.startsWith(prefix) && !prefix.isEmpty() ? name.substring(prefix.length()) : name;
        String path = relative.replace(sep, '/');
        List<Snap> snaps = new ArrayList<>();
        try {
          for (StoredMessage m : box.messages(name)) {
            snaps.add(new Snap(m.sha256(), Set.copyOf(m.flags()), m.internalDate()));
          }
        } catch (jakarta.mail.MessagingException notSelectable) {
          continue; // a \Noselect parent
        }
        snaps.sort(
            java.util.Comparator.comparing(Snap::sha256).thenComparing(s -> s.internalDate()));
        out.put(path, snaps);
      }
    }
    return out;
  }

  static List<String> folderNames(Account account) throws Exception {
    try (TestMailbox box = account.open()) {
      return box.folders().stream().sorted().toList();
    }
  }

  static long uidValidity(Account account, String path) throws Exception {
    try (TestMailbox box = account.open()) {
      return box.uidValidity(account.serverName(path));
    }
  }

  static long reportField(String reportJson, String field) {
    return tools.jackson.databind.json.JsonMapper.builder()
        .build()
        .readTree(reportJson)
        .get(field)
        .asLong();
  }

  static long totalCopied(String reportJson) {
    var node = tools.jackson.databind.json.JsonMapper.builder().build().readTree(reportJson);
    long sum = 0;
    for (var folder : node.get("folders")) {
      sum += folder.get("copied").asLong();
    }
    return sum;
  }
}

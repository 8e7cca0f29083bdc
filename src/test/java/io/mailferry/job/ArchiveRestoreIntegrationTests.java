package io.mailferry.job;

import static io.mailferry.job.MigrateContract.append;
import static io.mailferry.job.MigrateContract.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import io.mailferry.job.MigrateContract.Snap;
import io.mailferry.mail.MessageFlags;
import io.mailferry.testsupport.Account;
import io.mailferry.testsupport.DovecotExtension;
import io.mailferry.testsupport.DovecotServer;
import io.mailferry.testsupport.HardCases;
import io.mailferry.testsupport.HostileArchive;
import io.mailferry.testsupport.Mailferry;
import io.mailferry.testsupport.TestArchive;
import io.mailferry.testsupport.TestMailbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * restore: an archive written in backup's format, restored into Dovecot through the migrate job.
 */
class ArchiveRestoreIntegrationTests {

  private static final AtomicInteger USERS = new AtomicInteger();

  @RegisterExtension
  static DovecotExtension dovecot = new DovecotExtension(DovecotServer.Layout.SLASH);

  /** A '.'-separated server with the "INBOX." prefix, as Courier serves. */
  @RegisterExtension
  static DovecotExtension courierStyle =
      new DovecotExtension(DovecotServer.Layout.DOT_INBOX_PREFIX);

  @TempDir Path tmp;

  @Test
  void restores_folders_bytes_flags_keywords_and_dates_once_even_when_run_twice() throws Exception {
    TestArchive archive = new TestArchive(tmp.resolve("archive"));
    for (HardCases.HardCase c : HardCases.all()) {
      archive.add("INBOX", c.raw(), c.flags(), c.internalDate());
    }
    archive.add(
        "Archiv/Größe",
        MigrateContract.raw("groesse"),
        Set.of("\\Seen", "$Label2"),
        at("2023-05-06T07:08:09Z"));
    archive.add(
        "日本語", MigrateContract.raw("nihongo"), Set.of("\\Answered"), at("2022-01-02T03:04:05Z"));
    archive.add(
        "Work/Projects", MigrateContract.raw("projects"), Set.of(), at("2021-12-31T23:59:59Z"));
    archive.add("Sent", MigrateContract.raw("sent"), Set.of("\\Seen"), at("2024-02-02T02:02:02Z"));
    archive.close();
    Account destination = newAccount();

    var first = restore(archive.dir(), destination);
    var afterFirst = snapshot(destination);
    var second = restore(archive.dir(), destination);

    assertThat(first.exitCode()).as(first.toString()).isZero();
    assertThat(second.exitCode()).as(second.toString()).isZero();
    Map<String, List<Snap>> expected = expected(archive, false);
    assertHolds(afterFirst, expected);
    assertThat(snapshot(destination)).isEqualTo(afterFirst);
  }

  @Test
  void restores_nested_folders_under_a_dot_separator_and_inbox_prefix() throws Exception {
    TestArchive archive = new TestArchive(tmp.resolve("archive"));
    archive.add(
        "Archiv/Größe",
        MigrateContract.raw("nested"),
        Set.of("\\Flagged", "$Label3"),
        at("2023-03-03T03:03:03Z"));
    archive.add("日本語", MigrateContract.raw("japanese"), Set.of(), at("2023-04-04T04:04:04Z"));
    archive.add(
        "INBOX", MigrateContract.raw("inbox"), Set.of("\\Seen"), at("2023-05-05T05:05:05Z"));
    archive.close();
    Account destination = Account.onDovecot(courierStyle.server(), "dotted");

    var run = restore(archive.dir(), destination);

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(MigrateContract.folderNames(destination))
        .contains("INBOX.Archiv.Größe", "INBOX.日本語");
    assertHolds(snapshot(destination), expected(archive, false));
  }

  @Test
  void restores_into_an_account_that_already_has_mail_without_duplicating_what_is_there()
      throws Exception {
    TestArchive archive = new TestArchive(tmp.resolve("archive"));
    var kept =
        archive.add(
            "INBOX",
            MigrateContract.raw("already-there"),
            Set.of("\\Seen"),
            at("2024-01-01T10:00:00Z"));
    archive.add(
        "INBOX", MigrateContract.raw("only-in-archive"), Set.of(), at("2024-01-02T10:00:00Z"));
    archive.add(
        "Work", MigrateContract.raw("work"), Set.of("$Important"), at("2024-01-03T10:00:00Z"));
    // Over 1 MiB: read through a spool file, not held in memory.
    archive.add(
        "Work",
        ("Subject: large\r\nMessage-ID: <large@example.org>\r\n\r\n"
                + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789\r\n"
                    .repeat(20_000))
            .getBytes(),
        Set.of("\\Seen"),
        at("2024-01-04T10:00:00Z"));
    archive.close();
    Account destination = newAccount();
    append(
        destination,
        "INBOX",
        MigrateContract.raw("unrelated"),
        Set.of(),
        at("2020-01-01T00:00:00Z"));
    append(destination, "INBOX", kept.raw(), kept.flags(), kept.internalDate());

    var run = restore(archive.dir(), destination);

    assertThat(run.exitCode()).as(run.toString()).isZero();
    Map<String, List<Snap>> expected = expected(archive, false);
    List<Snap> inbox = new ArrayList<>(expected.get("INBOX"));
    inbox.add(
        new Snap(
            TestMailbox.sha256(MigrateContract.raw("unrelated")),
            Set.of(),
            at("2020-01-01T00:00:00Z")));
    expected.put("INBOX", sorted(inbox));
    assertHolds(snapshot(destination), expected);
  }

  @Test
  void folder_and_since_before_select_what_is_restored() throws Exception {
    TestArchive archive = new TestArchive(tmp.resolve("archive"));
    archive.add("INBOX", MigrateContract.raw("old"), Set.of(), at("2023-12-31T23:59:59Z"));
    archive.add("INBOX", MigrateContract.raw("new"), Set.of(), at("2024-01-01T00:00:00Z"));
    archive.add("INBOX", MigrateContract.raw("newest"), Set.of(), at("2024-06-01T00:00:00Z"));
    archive.add(
        "Work/Projects", MigrateContract.raw("project"), Set.of(), at("2024-02-01T00:00:00Z"));
    archive.add("Private", MigrateContract.raw("private"), Set.of(), at("2024-02-01T00:00:00Z"));
    archive.close();
    Account onlyWork = newAccount();
    Account dated = newAccount();

    var byFolder = restore(archive.dir(), onlyWork, "--folder", "Work/*");
    var byDate =
        restore(
            archive.dir(),
            dated,
            "--since",
            "2024-01-01",
            "--before",
            "2024-06-01",
            "--folder",
            "INBOX",
            "--folder",
            "Private");

    assertThat(byFolder.exitCode()).as(byFolder.toString()).isZero();
    assertThat(byDate.exitCode()).as(byDate.toString()).isZero();
    assertThat(nonEmpty(snapshot(onlyWork)).keySet()).containsExactly("Work/Projects");
    var datedSnap = nonEmpty(snapshot(dated));
    assertThat(datedSnap.keySet()).containsExactlyInAnyOrder("INBOX", "Private");
    assertThat(datedSnap.get("INBOX"))
        .singleElement()
        .extracting(Snap::sha256)
        .isEqualTo(TestMailbox.sha256(MigrateContract.raw("new")));
  }

  @Test
  void a_directory_that_is_not_an_archive_is_one_sentence_and_exit_78() throws Exception {
    Account destination = newAccount();

    var run = restore(tmp.resolve("nothing-here"), destination);

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(78);
    assertThat(run.err().strip().lines())
        .singleElement()
        .asString()
        .startsWith("mailferry: ")
        .contains("not a mailferry archive");
    assertThat(run.err() + run.out()).doesNotContain("Exception");
  }

  @Test
  void dry_run_plans_from_the_archive_and_writes_nothing_and_a_bad_date_is_usage()
      throws Exception {
    TestArchive archive = new TestArchive(tmp.resolve("archive"));
    archive.add(
        "Archiv/Größe", MigrateContract.raw("planned"), Set.of(), at("2024-01-01T00:00:00Z"));
    archive.close();
    Account destination = newAccount();

    var dryRun = restore(archive.dir(), destination, "--dry-run");
    var badDate = restore(archive.dir(), destination, "--since", "1.1.2024");

    assertThat(dryRun.exitCode()).as(dryRun.toString()).isZero();
    assertThat(dryRun.out()).contains("Archiv/Größe").contains("dry run").contains("file://");
    assertThat(nonEmpty(snapshot(destination))).isEmpty();
    assertThat(badDate.exitCode()).as(badDate.toString()).isEqualTo(64);
    assertThat(badDate.err().strip().lines())
        .singleElement()
        .asString()
        .contains("--since takes a date");
  }

  @Test
  void a_failed_restore_resumes_from_the_job_store_without_a_source_password() throws Exception {
    TestArchive archive = new TestArchive(tmp.resolve("archive"));
    archive.add("INBOX", MigrateContract.raw("one"), Set.of("\\Seen"), at("2024-01-01T00:00:00Z"));
    archive.add("Work", MigrateContract.raw("two"), Set.of("$Label1"), at("2024-01-02T00:00:00Z"));
    archive.close();
    Account destination = newAccount();
    Account wrongPassword =
        new Account(
            destination.scheme(),
            destination.host(),
            destination.port(),
            destination.user(),
            "wrong",
            destination.trustCert());

    var failed = restore(archive.dir(), wrongPassword, "--since", "2024-01-02");
    var resumed =
        Mailferry.run(
            Map.of("MAILFERRY_TO_PASSWORD", destination.password()),
            "resume",
            "--state-dir",
            tmp.resolve("state").toString());

    assertThat(failed.exitCode()).as(failed.toString()).isEqualTo(77);
    assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
    // The resumed run keeps --since: only the second message.
    assertThat(nonEmpty(snapshot(destination)).keySet()).containsExactly("Work");
  }

  // ---- archives someone else made (issue 17.2, 17.6): what is skipped is named, the rest restored

  @Test
  void a_link_in_cur_and_a_linked_folder_are_not_restored_each_is_a_failure_and_the_run_exits_1()
      throws Exception {
    TestArchive archive = twoFolders();
    var planted = HostileArchive.plantLinks(archive.dir(), tmp.resolve("outside"));
    Account destination = newAccount();

    var run = restore(archive.dir(), destination);

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
    assertHolds(snapshot(destination), expected(archive, false));
    assertThat(HostileArchive.filesHoldingTheSecret(dovecot.server().mailRoot(destination.user())))
        .isEmpty();
    assertThat(run.out())
        .as(run.toString())
        .contains(
            "failed: "
                + archive.dir().relativize(planted.linkInCur())
                + ": a symbolic link, not a message "
                + "file: skipped")
        .contains("failed: Leak: a symbolic link, not a folder directory: skipped")
        .doesNotContain(HostileArchive.SECRET);
    assertThat(run.out() + run.err()).doesNotContain("Exception");
  }

  @Test
  void a_manifest_line_without_a_folder_is_a_warning_and_every_message_is_restored()
      throws Exception {
    TestArchive archive = twoFolders();
    HostileArchive.appendNullFolderLine(archive.dir());
    Account destination = newAccount();

    var run = restore(archive.dir(), destination);

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertHolds(snapshot(destination), expected(archive, false));
    assertThat(run.out())
        .as(run.toString())
        .contains("warning ×1: mailferry-manifest.jsonl line 3: no folder: ignored");
    assertThat(run.out() + run.err()).doesNotContain("Exception");
  }

  @Test
  void a_manifest_with_100000_lines_that_are_not_records_is_20_warnings_and_one_counting_the_rest()
      throws Exception {
    TestArchive archive = twoFolders();
    HostileArchive.appendBadManifestLines(archive.dir(), 100_000);
    Account destination = newAccount();

    var run = restore(archive.dir(), destination);

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertHolds(snapshot(destination), expected(archive, false));
    assertThat(run.out().lines().filter(l -> l.contains("mailferry-manifest.jsonl")))
        .as(run.toString())
        .hasSize(21)
        .contains(
            "    warning ×1: mailferry-manifest.jsonl line 3: not a manifest record (one JSON object): ignored",
            "    warning ×1: mailferry-manifest.jsonl: and 99980 more lines like these: ignored");
    String report = Files.readString(tmp.resolve("state").resolve("reports").resolve("1.json"));
    assertThat(report.split("mailferry-manifest.jsonl", -1))
        .hasSize(22); // 21 warnings, bounded in the report too
  }

  @Test
  void a_directory_named_50_percent_off_is_a_failure_and_the_other_folders_are_restored()
      throws Exception {
    TestArchive archive = twoFolders();
    HostileArchive.percentFolder(archive.dir());
    Account destination = newAccount();

    var run = restore(archive.dir(), destination);

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
    assertHolds(snapshot(destination), expected(archive, false));
    assertThat(run.out())
        .as(run.toString())
        .contains(
            "failed: 50%off: not a folder name mailferry writes (a '%' "
                + "not followed by two hex digits): skipped");
    assertThat(run.out() + run.err()).doesNotContain("Exception");
  }

  @Test
  void
      a_dovecot_keywords_line_numbered_2000000000_is_a_warning_and_the_other_keywords_are_restored()
          throws Exception {
    TestArchive archive = twoFolders();
    Path keywords = archive.dir().resolve("Work").resolve("dovecot-keywords");
    Files.writeString(keywords, "2000000000 $Huge\n" + Files.readString(keywords));
    Account destination = newAccount();

    var run = restore(archive.dir(), destination);

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertHolds(snapshot(destination), expected(archive, false)); // Work's message keeps $Label1
    assertThat(run.out())
        .as(run.toString())
        .contains(
            "warning ×1: Work/dovecot-keywords: line 1: keyword number "
                + "2000000000 has no letter (0 to 25): ignored");
  }

  @Test
  void
      keywords_of_a_crafted_dovecot_keywords_that_are_no_imap_atoms_are_dropped_each_with_a_warning_and_the_message_is_restored()
          throws Exception {
    TestArchive archive = twoFolders();
    Path work = archive.dir().resolve("Work");
    // A space, parentheses, system flags spelt as keywords, a CR inside a line, non-ASCII, 300
    // characters.
    Files.writeString(
        work.resolve("dovecot-keywords"),
        "0 $Label1\n1 a b\n2 x)(\n3 \\Seen\n4 \\SEEN\n"
            + "5 ev\ril\n6 grüße\n7 "
            + "k".repeat(300)
            + "\n");
    Path file;
    try (var files = Files.list(work.resolve("cur"))) {
      file = files.findFirst().orElseThrow();
    }
    Files.move(
        file, file.resolveSibling(file.getFileName().toString().replace(":2,a", ":2,abcdefgh")));
    Account destination = newAccount();

    var run = restore(archive.dir(), destination);

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertHolds(
        snapshot(destination), expected(archive, false)); // Work's message: $Label1 only, not \Seen
    String notAtom = " is not an IMAP keyword (an atom of at most 255 characters): ignored";
    assertThat(run.out())
        .as(run.toString())
        .contains("warning ×1: Work/dovecot-keywords: line 2: \"a b\"" + notAtom)
        .contains("warning ×1: Work/dovecot-keywords: line 3: \"x)(\"" + notAtom)
        .contains("warning ×1: Work/dovecot-keywords: line 4: \"\\Seen\"" + notAtom)
        .contains("warning ×1: Work/dovecot-keywords: line 5: \"\\SEEN\"" + notAtom)
        .contains("warning ×1: Work/dovecot-keywords: line 6: \"ev\\x0Dil\"" + notAtom)
        .contains("warning ×1: Work/dovecot-keywords: line 7: \"grüße\"" + notAtom)
        .contains(
            "warning ×1: Work/dovecot-keywords: line 8: \"" + "k".repeat(64) + "…\"" + notAtom)
        .doesNotContain("\r");
    assertThat(run.out() + run.err()).doesNotContain("Exception");
  }

  @Test
  void
      a_sparse_terabyte_file_in_cur_is_one_failure_or_with_max_message_size_a_skip_never_read_and_the_rest_is_restored()
          throws Exception {
    TestArchive archive = twoFolders();
    Path huge =
        archive
            .dir()
            .resolve("Work")
            .resolve("cur")
            .resolve("1700000003.M1U3.host,S=1099511627776:2,");
    try (var file = new java.io.RandomAccessFile(huge.toFile(), "rw")) {
      file.setLength(
          1L << 40); // no block written: reading it all would take hours and fill the spool
    }
    Account destination = newAccount();

    long started = System.nanoTime();
    var run = restore(archive.dir(), destination);
    var limited = restore(archive.dir(), destination, "--max-message-size", "1M");

    assertThat(java.time.Duration.ofNanos(System.nanoTime() - started))
        .isLessThan(java.time.Duration.ofMinutes(2));
    assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
    assertThat(limited.exitCode())
        .as(limited.toString())
        .isZero(); // as documented: a larger message is skipped
    assertHolds(snapshot(destination), expected(archive, false));
    assertThat(run.out())
        .as(run.toString())
        .contains(
            "failed: Work/cur/1700000003.M1U3.host,S=1099511627776:2,: "
                + "1099511627776 bytes, more than mailferry reads of one message (536870912 bytes; --max-message-size "
                + "allows more): skipped");
    assertThat(limited.out())
        .as(limited.toString())
        .contains("skipped 1: larger than the destination accepts (APPENDLIMIT 1048576 bytes)");
    assertThat(run.out() + run.err() + limited.out() + limited.err()).doesNotContain("Exception");
  }

  // ---- helpers

  private Mailferry.Result restore(Path archive, Account to, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "restore",
                "--from",
                archive.toString(),
                "--to",
                to.url(),
                "--to-trust-cert",
                to.trustCert().toString(),
                "--state-dir",
                tmp.resolve("state").toString()));
    args.addAll(List.of(extra));
    // No source password: an archive needs none, and restore must not ask for one.
    return Mailferry.run(
        Map.of("MAILFERRY_TO_PASSWORD", to.password()), args.toArray(String[]::new));
  }

  /** INBOX with a \\Seen message, Work with one keyword (so Work has a dovecot-keywords). */
  private TestArchive twoFolders() {
    TestArchive archive = new TestArchive(tmp.resolve("archive"));
    archive.add(
        "INBOX", MigrateContract.raw("inbox"), Set.of("\\Seen"), at("2024-01-01T00:00:00Z"));
    archive.add("Work", MigrateContract.raw("work"), Set.of("$Label1"), at("2024-01-02T00:00:00Z"));
    archive.close();
    return archive;
  }

  private static Account newAccount() {
    return Account.onDovecot(dovecot.server(), "restore" + USERS.incrementAndGet());
  }

  /** What the archive holds, folder by folder, as a snapshot of the destination would show it. */
  private static Map<String, List<Snap>> expected(TestArchive archive, boolean withDeleted) {
    Map<String, List<Snap>> out = new TreeMap<>();
    for (TestArchive.Stored m : archive.messages()) {
      if (withDeleted || !m.flags().contains(MessageFlags.DELETED)) {
        out.computeIfAbsent(m.folder(), f -> new ArrayList<>())
            .add(
                new Snap(
                    TestMailbox.sha256(asDovecotStores(m.raw())), m.flags(), m.internalDate()));
      }
    }
    out.replaceAll((f, snaps) -> sorted(snaps));
    return out;
  }

  /**
   * Dovecot turns a bare LF into CRLF on APPEND (migrate's tests see it on both sides); all else
   * stays.
   */
  private static byte[] asDovecotStores(byte[] raw) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(raw.length + 64);
    for (int i = 0; i < raw.length; i++) {
      if (raw[i] == '\n' && (i == 0 || raw[i - 1] != '\r')) {
        out.write('\r');
      }
      out.write(raw[i]);
    }
    return out.toByteArray();
  }

  private static List<Snap> sorted(List<Snap> snaps) {
    List<Snap> copy = new ArrayList<>(snaps);
    copy.sort(java.util.Comparator.comparing(Snap::sha256).thenComparing(Snap::internalDate));
    return copy;
  }

  /**
   * Every expected folder holds exactly its messages; any other folder (auto-created special-use)
   * is empty.
   */
  private static void assertHolds(
      Map<String, List<Snap>> actual, Map<String, List<Snap>> expected) {
    assertThat(nonEmpty(actual)).isEqualTo(expected);
  }

  private static Map<String, List<Snap>> nonEmpty(Map<String, List<Snap>> snapshot) {
    Map<String, List<Snap>> out = new TreeMap<>(snapshot);
    out.values().removeIf(List::isEmpty);
    return out;
  }

  private static Instant at(String iso) {
    return Instant.parse(iso);
  }
}

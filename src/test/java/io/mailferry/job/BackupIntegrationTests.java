package io.mailferry.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailferry.archive.ArchiveLayout;
import io.mailferry.archive.Manifest;
import io.mailferry.archive.ManifestRecord;
import io.mailferry.testsupport.Account;
import io.mailferry.testsupport.DovecotExtension;
import io.mailferry.testsupport.DovecotServer;
import io.mailferry.testsupport.HardCases;
import io.mailferry.testsupport.Mailferry;
import io.mailferry.testsupport.TestMailbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * `mailferry backup` from Dovecot into a local archive, checked the way a user would: by pointing a
 * Dovecot at the archive directory and reading it over IMAP.
 */
class BackupIntegrationTests {

  private static final AtomicInteger USERS = new AtomicInteger();

  @RegisterExtension
  static DovecotExtension dovecot = new DovecotExtension(DovecotServer.Layout.SLASH);

  @TempDir Path state;
  @TempDir Path work;

  @Test
  void dovecot_opens_the_archive_with_every_folder_flag_keyword_date_and_byte_of_the_source()
      throws Exception {
    Account source = Account.onDovecot(dovecot.server(), "bsrc" + USERS.incrementAndGet());
    MigrateContract.seedSample(source);
    for (var c : HardCases.all()) {
      MigrateContract.append(source, "Hard", c.raw(), c.flags(), c.internalDate());
    }
    Path archive = work.resolve("archive");

    var run = backup(source, archive);

    assertThat(run.exitCode()).as(run.toString()).isZero();
    var expected = MigrateContract.snapshot(source);
    expected.put(
        "Hard",
        expected.get("Hard").stream().filter(s -> !s.flags().contains("\\Deleted")).toList());
    assertThat(MigrateContract.snapshot(served(archive)))
        .as(() -> dovecot.server().log())
        .isEqualTo(expected);
  }

  @Test
  void
      backup_then_restore_into_another_user_gives_back_the_source_and_a_second_restore_adds_nothing()
          throws Exception {
    Account source = Account.onDovecot(dovecot.server(), "bsrc" + USERS.incrementAndGet());
    MigrateContract.seedSample(source);
    Path archive = work.resolve("round-trip");
    assertThat(backup(source, archive).exitCode()).isZero();
    Account restored = Account.onDovecot(dovecot.server(), "brst" + USERS.incrementAndGet());

    var first = restore(archive, restored);
    var second = restore(archive, restored);

    assertThat(first.exitCode()).as(first.toString()).isZero();
    assertThat(second.exitCode()).as(second.toString()).isZero();
    assertThat(MigrateContract.snapshot(restored)).isEqualTo(MigrateContract.snapshot(source));
  }

  private Mailferry.Result restore(Path archive, Account to) {
    return Mailferry.run(
        Map.of("MAILFERRY_TO_PASSWORD", to.password()),
        "restore",
        "--from",
        archive.toString(),
        "--to",
        to.url(),
        "--to-trust-cert",
        to.trustCert().toString(),
        "--state-dir",
        state.toString());
  }

  @Test
  void files_are_private_and_the_manifest_describes_every_message() throws Exception {
    Account source = Account.onDovecot(dovecot.server(), "bsrc" + USERS.incrementAndGet());
    MigrateContract.append(
        source,
        "Privé/日本語",
        MigrateContract.raw("private"),
        Set.of("\\Seen", "$Work"),
        Instant.parse("2025-02-03T04:05:06Z"));
    Path archive = work.resolve("private");

    assertThat(backup(source, archive).exitCode()).isZero();

    try (Stream<Path> all = Files.walk(archive)) {
      for (Path p : all.toList()) {
        String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
        assertThat(mode)
            .as(p.toString())
            .isEqualTo(Files.isDirectory(p) ? "rwx------" : "rw-------");
      }
    }
    Path folder = archive.resolve("Privé").resolve("日本語");
    assertThat(Files.readString(folder.resolve("dovecot-keywords"))).isEqualTo("0 $Work\n");
    Collection<ManifestRecord> records =
        Manifest.read(new ArchiveLayout(archive).manifest()).values();
    assertThat(records)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.folder()).isEqualTo("Privé/日本語");
              assertThat(r.flags()).containsExactly("$Work", "\\Seen");
              assertThat(r.internalDate()).isEqualTo(Instant.parse("2025-02-03T04:05:06Z"));
              assertThat(r.atSource()).isTrue();
              Path file = ArchiveLayout.filesByBase(folder).get(r.base());
              assertThat(file.getFileName().toString()).endsWith(":2,Sa");
              assertThat(TestMailbox.sha256(readAll(file))).isEqualTo(r.sha256());
            });
  }

  @Test
  void a_nightly_run_writes_only_new_mail_follows_flag_changes_and_keeps_what_the_source_deleted()
      throws Exception {
    Account source = inboxOf("night-", 3);
    Path archive = work.resolve("nightly");
    assertThat(backup(source, archive).exitCode()).isZero();

    try (TestMailbox box = source.open()) {
      box.setFlags("INBOX", 1, Set.of("\\Seen", "\\Flagged"));
      box.expunge("INBOX", 2);
      box.append(
          "INBOX",
          MigrateContract.raw("night-new"),
          Set.of(),
          Instant.parse("2025-03-09T10:00:00Z"));
    }
    var nightly = backup(source, archive);

    assertThat(nightly.exitCode()).as(nightly.toString()).isZero();
    assertThat(Pop3Contract.copied(nightly)).isEqualTo(1);
    Map<String, ManifestRecord> records = Manifest.read(new ArchiveLayout(archive).manifest());
    assertThat(records).hasSize(4);
    assertThat(records.values()).filteredOn(r -> !r.atSource()).hasSize(1);
    assertThat(records.values())
        .filteredOn(r -> r.flags().contains("\\Flagged"))
        .singleElement()
        .satisfies(
            r ->
                assertThat(
                        ArchiveLayout.filesByBase(archive).get(r.base()).getFileName().toString())
                    .endsWith(":2,FS"));
    assertThat(ArchiveLayout.filesByBase(archive)).hasSize(4);

    // 1 of the 4 archived is gone: 25%, more than the guard's default 20%.
    var held = backup(source, archive, "--mirror");
    assertThat(held.exitCode()).as(held.toString()).isZero();
    assertThat(held.out() + held.err())
        .contains("--mirror left the folder as it was: 1 of the 4 messages");
    assertThat(ArchiveLayout.filesByBase(archive)).hasSize(4);

    var mirrored = backup(source, archive, "--mirror", "--mirror-max-delete", "25");
    assertThat(mirrored.exitCode()).as(mirrored.toString()).isZero();
    assertThat(ArchiveLayout.filesByBase(archive)).hasSize(3);
    assertThat(Manifest.read(new ArchiveLayout(archive).manifest())).hasSize(3);
  }

  @Test
  void a_nightly_run_with_nothing_new_leaves_the_manifest_untouched_and_one_with_news_compacts_it()
      throws Exception {
    Account source = inboxOf("quiet-", 2);
    Path archive = work.resolve("quiet");
    assertThat(backup(source, archive).exitCode()).isZero();
    Path manifest = new ArchiveLayout(archive).manifest();
    var writtenBefore = Files.getLastModifiedTime(manifest);
    byte[] bytesBefore = Files.readAllBytes(manifest);

    var quiet = backup(source, archive);

    assertThat(quiet.exitCode()).as(quiet.toString()).isZero();
    assertThat(Pop3Contract.copied(quiet)).isZero();
    // Neither rewritten nor appended to.
    assertThat(Files.getLastModifiedTime(manifest)).isEqualTo(writtenBefore);
    assertThat(Files.readAllBytes(manifest)).isEqualTo(bytesBefore);

    try (TestMailbox box = source.open()) {
      box.setFlags("INBOX", 1, Set.of("\\Seen"));
    }
    var news = backup(source, archive);

    assertThat(news.exitCode()).as(news.toString()).isZero();
    assertThat(Files.readAllLines(manifest)).hasSize(2); // one line per message again
    assertThat(Manifest.read(manifest).values())
        .filteredOn(r -> r.flags().contains("\\Seen"))
        .hasSize(1);
  }

  @Test
  void a_pop3_mailbox_backs_up_into_the_archive_inbox() throws Exception {
    Account mailbox = Account.onDovecot(dovecot.server(), "bpop" + USERS.incrementAndGet());
    try (TestMailbox box = mailbox.open()) {
      box.append(
          "INBOX",
          Pop3Contract.received("popped", null, null, "Sun, 8 Mar 2026 10:00:00 +0000"),
          Set.of(),
          Instant.parse("2026-01-01T00:00:00Z"));
    }
    Path archive = work.resolve("pop");

    var run = backup(mailbox.viaPop3(dovecot.server().pop3Port()), archive);

    assertThat(run.exitCode()).as(run.toString()).isZero();
    List<Path> files = List.copyOf(ArchiveLayout.filesByBase(archive).values());
    assertThat(files)
        .singleElement()
        .satisfies(
            f -> {
              assertThat(TestMailbox.sha256(readAll(f)))
                  .isEqualTo(Pop3Contract.shas(mailbox, "INBOX").get(0).split(" ")[0]);
              assertThat(Files.getLastModifiedTime(f).toInstant())
                  .isEqualTo(Instant.parse("2026-03-08T10:00:00Z"));
            });
  }

  @Test
  void
      a_backup_killed_mid_run_leaves_no_half_file_and_the_next_run_completes_it_without_duplicates()
          throws Exception {
    Account source = Account.onDovecot(dovecot.server(), "bkill" + USERS.incrementAndGet());
    try (TestMailbox box = source.open()) {
      for (int i = 0; i < 300; i++) {
        box.append(
            "INBOX",
            LimitsIntegrationTests.message("kill-" + i, 20_000),
            Set.of(),
            Instant.parse("2025-05-01T00:00:00Z").plusSeconds(i));
      }
    }
    Path archive = work.resolve("killed");
    long seed = System.nanoTime();
    // In the first two thirds, so that the chunk in flight at the kill cannot finish the folder.
    int threshold = 1 + new java.util.Random(seed).nextInt(200);
    Process run =
        io.mailferry.testsupport.ChildMailferry.start(
            List.of(
                "backup",
                "--from",
                source.url(),
                "--to",
                archive.toString(),
                "--state-dir",
                state.toString(),
                "--from-trust-cert",
                dovecot.server().certificatePem().toString()),
            Map.of("MAILFERRY_FROM_PASSWORD", source.password(), "MAILFERRY_CHUNK_SIZE", "20"),
            work.resolve("killed.log"));
    while (run.isAlive()
        && (!Files.isDirectory(archive.resolve("cur"))
            || ArchiveLayout.filesByBase(archive).size() < threshold)) {
      Thread.sleep(10);
    }
    io.mailferry.testsupport.ChildMailferry.kill(run);
    assertThat(ArchiveLayout.filesByBase(archive))
        .as("seed " + seed + ": killed mid-run")
        .hasSizeBetween(threshold, 299);

    var again = backup(source, archive);

    assertThat(again.exitCode()).as("seed " + seed + "\n" + again).isZero();
    List<String> archived =
        ArchiveLayout.filesByBase(archive).values().stream()
            .map(f -> TestMailbox.sha256(readAll(f)))
            .sorted()
            .toList();
    assertThat(archived)
        .as("seed " + seed)
        .isEqualTo(
            Pop3Contract.shas(source, "INBOX").stream()
                .map(s -> s.split(" ")[0])
                .sorted()
                .toList());
    try (Stream<Path> tmp = Files.list(archive.resolve("tmp"))) {
      assertThat(tmp).isEmpty();
    }
    assertThat(Manifest.read(new ArchiveLayout(archive).manifest())).hasSize(300);
  }

  @Test
  void dry_run_compares_what_will_be_written_with_the_free_space_of_the_disk() throws Exception {
    Account source = Account.onDovecot(dovecot.server(), "bdry" + USERS.incrementAndGet());
    MigrateContract.append(
        source,
        "INBOX",
        MigrateContract.raw("dry"),
        Set.of(),
        Instant.parse("2025-02-03T04:05:06Z"));
    Path archive = work.resolve("dry");

    var run = backup(source, archive, "--dry-run");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out()).contains("quota \"disk " + archive).contains("free after");
    assertThat(ArchiveLayout.filesByBase(archive)).isEmpty();
  }

  @Test
  void
      a_full_disk_is_foreseen_stops_the_run_with_exit_73_and_after_room_is_made_the_run_completes_once()
          throws Exception {
    Path disk = work.resolve("small-disk");
    Files.createDirectories(disk);
    // A 1 MiB file system of its own; where mounting is not allowed, the test cannot run.
    Assumptions.assumeTrue(
        run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", disk.toString()) == 0,
        "mounting a tmpfs is not allowed here");
    try {
      Account source = Account.onDovecot(dovecot.server(), "bfull" + USERS.incrementAndGet());
      try (TestMailbox box = source.open()) {
        for (int i = 0; i < 30; i++) {
          box.append(
              "INBOX",
              LimitsIntegrationTests.message("full-" + i, 50_000),
              Set.of(),
              Instant.parse("2025-06-01T00:00:00Z").plusSeconds(i));
        }
      }
      Path archive = disk.resolve("archive");

      var refused = backup(source, archive, "--quota-policy", "stop");
      assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(73);
      assertThat(ArchiveLayout.filesByBase(archive)).isEmpty();

      var full = backup(source, archive);
      assertThat(full.exitCode()).as(full.toString()).isEqualTo(73);
      int written = ArchiveLayout.filesByBase(archive).size();
      assertThat(written).isBetween(1, 29);

      assertThat(run("mount", "-o", "remount,size=8m", disk.toString())).isZero();
      var resumed = backup(source, archive);

      assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
      assertThat(Pop3Contract.copied(resumed)).as("the resumed job's total").isEqualTo(30);
      assertThat(ArchiveLayout.filesByBase(archive)).hasSize(30);
      assertThat(Manifest.read(new ArchiveLayout(archive).manifest())).hasSize(30);
    } finally {
      // Busy only if a file in it is still open (the manifest once was): detached lazily then,
      // so the temporary directory can go; ArchiveWritesTests checks that nothing stays open.
      if (run("umount", disk.toString()) != 0) {
        run("umount", "-l", disk.toString());
      }
    }
  }

  private static int run(String... command) throws Exception {
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start()
        .waitFor();
  }

  /** A new source account whose INBOX holds n messages, dated March 1st, 2nd, ... 2025. */
  private static Account inboxOf(String subjectPrefix, int n) throws Exception {
    Account source = Account.onDovecot(dovecot.server(), "bsrc" + USERS.incrementAndGet());
    for (int i = 0; i < n; i++) {
      MigrateContract.append(
          source,
          "INBOX",
          MigrateContract.raw(subjectPrefix + i),
          Set.of(),
          Instant.parse("2025-03-0" + (i + 1) + "T10:00:00Z"));
    }
    return source;
  }

  private Mailferry.Result backup(Account source, Path archive, String... extra) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "backup",
                "--from",
                source.url(),
                "--to",
                archive.toString(),
                "--state-dir",
                state.toString()));
    if (source.trustCert() != null) {
      args.addAll(List.of("--from-trust-cert", source.trustCert().toString()));
    }
    args.addAll(List.of(extra));
    return Mailferry.run(
        Map.of("MAILFERRY_FROM_PASSWORD", source.password()), args.toArray(String[]::new));
  }

  /**
   * A user of the test Dovecot whose mailbox is the archive directory (read by Dovecot as its mail
   * user).
   */
  private Account served(Path archive) throws Exception {
    // A copy under Dovecot's mail directory: the test's own temp directory is private to root.
    Path copy =
        dovecot
            .server()
            .mailRoot("any")
            .getParent()
            .getParent()
            .resolve("served-" + USERS.incrementAndGet());
    new ProcessBuilder("cp", "-a", archive.toString(), copy.toString())
        .inheritIO()
        .start()
        .waitFor();
    new ProcessBuilder(
            "chown",
            "-R",
            DovecotServer.mailUser() + ":" + DovecotServer.mailUser(),
            copy.toString())
        .inheritIO()
        .start()
        .waitFor();
    String user = "archived" + USERS.incrementAndGet();
    dovecot
        .server()
        .addUserWithMail(user, "pw-" + user, "maildir:" + copy + ":LAYOUT=fs:UTF-8:INDEX=MEMORY");
    return Account.onDovecotExisting(dovecot.server(), user);
  }

  private static byte[] readAll(Path f) {
    try {
      return Files.readAllBytes(f);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}

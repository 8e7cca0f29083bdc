package io.mailferry.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailferry.archive.ArchiveLayout;
import io.mailferry.archive.Manifest;
import io.mailferry.testsupport.Account;
import io.mailferry.testsupport.DovecotExtension;
import io.mailferry.testsupport.DovecotServer;
import io.mailferry.testsupport.Mailferry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Source folders whose names an archive cannot store as they are (issue 16.5, 17.7): named like the
 * archive's manifest, its rewrite's temporary file or Dovecot's keyword file, or longer than a file
 * name once escaped. Backed up, verified, exported and restored under their names.
 */
class ArchiveNamesIntegrationTests {

  private static final AtomicInteger USERS = new AtomicInteger();

  /** 250 bytes, within what Dovecot allows a name to be; escaped ('%' is "%25") it is 350. */
  private static final String LONG = "100%-".repeat(50);

  private static final List<String> HARD =
      List.of("mailferry-manifest.jsonl", "mailferry-manifest.jsonl.tmp", "dovecot-keywords", LONG);

  @RegisterExtension
  static DovecotExtension dovecot = new DovecotExtension(DovecotServer.Layout.SLASH);

  @TempDir Path state;
  @TempDir Path work;

  @Test
  void
      folders_named_like_the_archives_own_files_or_too_long_are_backed_up_verified_exported_and_restored()
          throws Exception {
    Account source = Account.onDovecot(dovecot.server(), "names" + USERS.incrementAndGet());
    Instant date = Instant.parse("2025-06-01T10:00:00Z");
    // Without a keyword: Dovecot itself keeps INBOX's keywords in a file of that name
    // (ArchiveNamesTests has the clash).
    MigrateContract.append(
        source, "INBOX", MigrateContract.raw("inbox"), Set.of("\\Flagged"), date);
    int n = 0;
    for (String name : HARD) {
      MigrateContract.append(
          source, name, MigrateContract.raw("hard-" + ++n), Set.of("\\Seen"), date);
    }
    Path archive = work.resolve("archive");

    var first = backup(source, archive);
    MigrateContract.append(
        source, HARD.get(1), MigrateContract.raw("later"), Set.of(), date.plusSeconds(60));
    var second = backup(source, archive);

    assertThat(first.exitCode()).as(first.toString()).isZero();
    assertThat(second.exitCode()).as(second.toString()).isZero();
    // Rewritten at the end of the second run: one line per message.
    assertThat(Files.readAllLines(archive.resolve(ArchiveLayout.MANIFEST))).hasSize(6);
    assertThat(Manifest.read(archive.resolve(ArchiveLayout.MANIFEST)).values())
        .extracting(r -> r.folder())
        .containsOnly("INBOX", HARD.get(0), HARD.get(1), HARD.get(2), LONG);
    var verify =
        Mailferry.run(
            Map.of(), "verify", archive.toString()); // INBOX, the 4 above, Dovecot's 5 special-use
    assertThat(verify.exitCode()).as(verify.toString()).isZero();
    assertThat(verify.out())
        .contains("6 messages in 10 folders: 0 missing, 0 corrupt, 0 unexpected");
    Path mbox = work.resolve("long.mbox");
    var export =
        Mailferry.run(
            Map.of(),
            "export",
            "--from",
            archive.toString(),
            "--folder",
            LONG,
            "--mbox",
            mbox.toString());
    assertThat(export.exitCode()).as(export.toString()).isZero();
    assertThat(Files.readString(mbox, StandardCharsets.UTF_8)).contains("body of hard-4");
    Account restored = Account.onDovecot(dovecot.server(), "namesback" + USERS.incrementAndGet());
    var restore =
        Mailferry.run(
            Map.of("MAILFERRY_TO_PASSWORD", restored.password()),
            "restore",
            "--from",
            archive.toString(),
            "--to",
            restored.url(),
            "--to-trust-cert",
            restored.trustCert().toString(),
            "--state-dir",
            state.toString());
    assertThat(restore.exitCode()).as(restore.toString()).isZero();
    assertThat(MigrateContract.snapshot(restored)).isEqualTo(MigrateContract.snapshot(source));
  }

  @Test
  void a_manifest_that_cannot_be_rewritten_at_the_end_fails_the_run_in_one_sentence()
      throws Exception {
    Account source = Account.onDovecot(dovecot.server(), "norewrite" + USERS.incrementAndGet());
    MigrateContract.append(
        source,
        "INBOX",
        MigrateContract.raw("one"),
        Set.of(),
        Instant.parse("2025-06-01T10:00:00Z"));
    Path archive = work.resolve("blocked");
    // What a folder of that name made before its name was escaped: the rewrite's temporary file
    // cannot be made.
    Files.createDirectories(archive.resolve(ArchiveLayout.MANIFEST + ".tmp").resolve("cur"));

    var run = backup(source, archive);

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(75);
    assertThat(run.err()).contains("cannot rewrite the manifest").doesNotContain("Exception");
  }

  private Mailferry.Result backup(Account source, Path archive) {
    return Mailferry.run(
        Map.of("MAILFERRY_FROM_PASSWORD", source.password()),
        "backup",
        "--from",
        source.url(),
        "--to",
        archive.toString(),
        "--state-dir",
        state.toString(),
        "--from-trust-cert",
        source.trustCert().toString());
  }
}

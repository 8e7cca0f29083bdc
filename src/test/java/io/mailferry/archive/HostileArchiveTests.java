package io.mailferry.archive;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailferry.testsupport.HostileArchive;
import io.mailferry.testsupport.Mailferry;
import io.mailferry.testsupport.TestArchive;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * verify and export on archives someone else made: planted links (in cur/, as a folder, as the
 * manifest or dovecot-keywords), a manifest line without a folder, a plain Maildir's "50%off", a
 * keyword number of 2000000000. Each is named once and skipped; nothing a link points at is read
 * into any output; the rest is verified or exported; no stack trace.
 */
class HostileArchiveTests {

  @TempDir Path tmp;

  @Test
  void verify_names_a_link_in_cur_and_a_linked_folder_as_unexpected_reads_neither_and_exits_1() {
    TestArchive archive = sample();
    var planted = HostileArchive.plantLinks(archive.dir(), tmp.resolve("outside"));

    var run = Mailferry.run(Map.of(), "verify", archive.dir().toString());

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
    assertThat(run.out().strip().lines().toList())
        .as(run.toString())
        .containsExactlyInAnyOrder(
            "unexpected: "
                + archive.dir().relativize(planted.linkInCur())
                + ": a symbolic link, not a message file: skipped",
            "unexpected: Leak: a symbolic link, not a folder directory: skipped",
            "mailferry: 2 messages in 2 folders: 0 missing, 0 corrupt, 2 unexpected.");
    assertThat(run.out() + run.err())
        .doesNotContain(HostileArchive.SECRET)
        .doesNotContain("Exception");
  }

  @Test
  void verify_names_a_linked_manifest_and_a_linked_dovecot_keywords_and_reads_neither()
      throws Exception {
    TestArchive archive = sample();
    Path outside = Files.createDirectories(tmp.resolve("outside"));
    Path realManifest =
        Files.move(archive.dir().resolve(ArchiveLayout.MANIFEST), outside.resolve("manifest"));
    Files.createSymbolicLink(archive.dir().resolve(ArchiveLayout.MANIFEST), realManifest);
    Path keywords = archive.dir().resolve("Work").resolve(ArchiveLayout.KEYWORDS);
    Files.delete(keywords);
    Files.createSymbolicLink(
        keywords, Files.writeString(outside.resolve("keywords"), "0 $Secret\n"));

    var run = Mailferry.run(Map.of(), "verify", archive.dir().toString());

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
    // The manifest is not read through the link: both messages are then unlisted, hence unexpected.
    assertThat(run.out().strip().lines().toList())
        .as(run.toString())
        .contains(
            "unexpected: mailferry-manifest.jsonl: a symbolic link, not the manifest: ignored",
            "unexpected: Work/dovecot-keywords: a symbolic link, not a keyword table: ignored",
            "mailferry: 2 messages in 2 folders: 0 missing, 0 corrupt, 4 unexpected.");
  }

  @Test
  void export_writes_no_byte_a_link_in_cur_points_at_names_it_and_exits_1() throws Exception {
    TestArchive archive = sample();
    var planted = HostileArchive.plantLinks(archive.dir(), tmp.resolve("outside"));
    Path mbox = tmp.resolve("inbox.mbox");

    var run =
        Mailferry.run(
            Map.of(),
            "export",
            "--from",
            archive.dir().toString(),
            "--folder",
            "INBOX",
            "--mbox",
            mbox.toString());

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
    String written = Files.readString(mbox, StandardCharsets.ISO_8859_1);
    assertThat(written).doesNotContain(HostileArchive.SECRET);
    assertThat(VerifyAndExportTests.readMboxrd(Files.readAllBytes(mbox)))
        .singleElement()
        .isEqualTo(archive.messages().get(0).raw());
    assertThat(run.err().strip().lines())
        .as(run.toString())
        .containsExactly(
            "mailferry: warning: "
                + archive.dir().relativize(planted.linkInCur())
                + ": a symbolic link, not a message file: skipped");
    assertThat(run.out())
        .contains("exported 1 messages of INBOX")
        .contains("some files were skipped");
  }

  @Test
  void export_of_a_linked_folder_is_one_sentence_exit_78_and_writes_nothing() {
    TestArchive archive = sample();
    HostileArchive.plantLinks(archive.dir(), tmp.resolve("outside"));
    Path mbox = tmp.resolve("leak.mbox");

    var run =
        Mailferry.run(
            Map.of(),
            "export",
            "--from",
            archive.dir().toString(),
            "--folder",
            "Leak",
            "--mbox",
            mbox.toString());

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(78);
    assertThat(run.err().strip().lines())
        .as(run.toString())
        .singleElement()
        .asString()
        .contains("has no folder 'Leak' (Leak: a symbolic link, not a folder directory: skipped)");
    assertThat(Files.exists(mbox)).isFalse();
    assertThat(run.out() + run.err()).doesNotContain(HostileArchive.SECRET);
  }

  @Test
  void verify_names_a_manifest_line_without_a_folder_and_verifies_the_rest() {
    TestArchive archive = sample();
    HostileArchive.appendNullFolderLine(archive.dir());

    var run = Mailferry.run(Map.of(), "verify", archive.dir().toString());

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
    assertThat(run.out().strip().lines().toList())
        .as(run.toString())
        .containsExactly(
            "unexpected: mailferry-manifest.jsonl line 3: no folder: ignored",
            "mailferry: 2 messages in 2 folders: 0 missing, 0 corrupt, 1 unexpected.");
    assertThat(run.err()).doesNotContain("Exception");
  }

  @Test
  void verify_and_export_read_an_archive_that_holds_a_directory_named_50_percent_off()
      throws Exception {
    TestArchive archive = sample();
    HostileArchive.percentFolder(archive.dir());
    Path mbox = tmp.resolve("work.mbox");

    var verify = Mailferry.run(Map.of(), "verify", archive.dir().toString());
    var export =
        Mailferry.run(
            Map.of(),
            "export",
            "--from",
            archive.dir().toString(),
            "--folder",
            "Work",
            "--mbox",
            mbox.toString());

    assertThat(verify.exitCode()).as(verify.toString()).isEqualTo(1);
    assertThat(verify.out().strip().lines().toList())
        .as(verify.toString())
        .containsExactly(
            "unexpected: 50%off: not a folder name mailferry writes (a '%' not followed by two hex digits): skipped",
            "mailferry: 2 messages in 2 folders: 0 missing, 0 corrupt, 1 unexpected.");
    assertThat(export.exitCode()).as(export.toString()).isZero();
    assertThat(VerifyAndExportTests.readMboxrd(Files.readAllBytes(mbox)))
        .singleElement()
        .isEqualTo(archive.messages().get(1).raw());
    assertThat(verify.err() + export.err()).doesNotContain("Exception");
  }

  @Test
  void verify_names_a_dovecot_keywords_line_numbered_2000000000_and_verifies_the_rest()
      throws Exception {
    TestArchive archive = sample();
    Path keywords = archive.dir().resolve("Work").resolve(ArchiveLayout.KEYWORDS);
    Files.writeString(keywords, "2000000000 $Huge\n" + Files.readString(keywords));

    var run = Mailferry.run(Map.of(), "verify", archive.dir().toString());

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
    assertThat(run.out().strip().lines().toList())
        .as(run.toString())
        .containsExactly(
            "unexpected: Work/dovecot-keywords: line 1: keyword number 2000000000 has no letter (0 to 25): ignored",
            "mailferry: 2 messages in 2 folders: 0 missing, 0 corrupt, 1 unexpected.");
  }

  @Test
  void verify_of_a_manifest_with_100000_lines_that_are_not_records_names_20_and_counts_them_all()
      throws Exception {
    TestArchive archive = sample();
    HostileArchive.appendBadManifestLines(archive.dir(), 100_000);

    var run = Mailferry.run(Map.of(), "verify", archive.dir().toString());

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
    List<String> lines = run.out().strip().lines().toList();
    assertThat(lines).hasSize(22);
    assertThat(lines.get(0))
        .isEqualTo(
            "unexpected: mailferry-manifest.jsonl line 3: not a manifest record (one JSON "
                + "object): ignored");
    assertThat(lines.get(19)).startsWith("unexpected: mailferry-manifest.jsonl line 22: ");
    assertThat(lines.subList(20, 22))
        .containsExactly(
            "unexpected: mailferry-manifest.jsonl: and 99980 more lines like these: ignored",
            "mailferry: 2 messages in 2 folders: 0 missing, 0 corrupt, 100000 unexpected.");
  }

  @Test
  void export_of_a_folder_holding_a_sparse_terabyte_file_names_it_writes_none_of_it_and_exits_1()
      throws Exception {
    TestArchive archive = sample();
    Path huge = archive.dir().resolve("cur").resolve("1700000003.M1U3.host,S=1099511627776:2,");
    try (var file = new java.io.RandomAccessFile(huge.toFile(), "rw")) {
      file.setLength(1L << 40); // no block written: exported, it would fill the disk
    }
    Path mbox = tmp.resolve("inbox.mbox");

    var run =
        Mailferry.run(
            Map.of(),
            "export",
            "--from",
            archive.dir().toString(),
            "--folder",
            "INBOX",
            "--mbox",
            mbox.toString());

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
    assertThat(VerifyAndExportTests.readMboxrd(Files.readAllBytes(mbox)))
        .singleElement()
        .isEqualTo(archive.messages().get(0).raw());
    assertThat(run.err().strip().lines())
        .as(run.toString())
        .containsExactly(
            "mailferry: warning: "
                + "cur/1700000003.M1U3.host,S=1099511627776:2,: 1099511627776 bytes, more than mailferry reads of one "
                + "message (536870912 bytes): skipped");
  }

  /** INBOX with one message, Work with one that has a keyword (so Work has a dovecot-keywords). */
  private TestArchive sample() {
    TestArchive archive = new TestArchive(tmp.resolve("archive"));
    archive.add(
        "INBOX",
        "Subject: a\r\n\r\none\r\n".getBytes(),
        Set.of("\\Seen"),
        Instant.parse("2024-01-01T00:00:00Z"));
    archive.add(
        "Work",
        "Subject: b\r\n\r\ntwo\r\n".getBytes(),
        Set.of("$Label1"),
        Instant.parse("2024-01-02T00:00:00Z"));
    archive.close();
    return archive;
  }
}

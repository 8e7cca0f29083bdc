package io.mailferry.archive;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailferry.mail.FolderPath;
import io.mailferry.testsupport.Mailferry;
import io.mailferry.testsupport.TestArchive;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Folder names an archive cannot store as they are (issue 16.5, 17.7): names of the archive's own
 * files, a NUL, a segment over 255 bytes. Stored escaped or shortened, read back by verify, export
 * and the listing under the name the source gave.
 */
class ArchiveNamesTests {

  private static final String LONG = "Überlänge-".repeat(30); // 360 bytes in UTF-8

  @TempDir Path tmp;

  @Test
  void
      folders_named_like_the_archives_own_files_or_too_long_or_with_a_nul_read_back_under_their_names()
          throws Exception {
    List<String> names =
        List.of(
            "mailferry-manifest.jsonl",
            "mailferry-manifest.jsonl.tmp",
            "dovecot-keywords",
            "a\u0000b",
            LONG,
            "Work/" + LONG + "/deeper");
    TestArchive archive = new TestArchive(tmp.resolve("archive"));
    Instant date = Instant.parse("2025-03-01T10:00:00Z");
    // INBOX is the archive's root: its keyword file sits beside the top-level folders.
    Files.writeString(archive.dir().resolve(ArchiveLayout.KEYWORDS), "0 $Work\n");
    archive.add("INBOX", "Subject: inbox\r\n\r\nhi\r\n".getBytes(), Set.of("$Work"), date);
    for (String name : names) {
      archive.add(
          name,
          ("Subject: " + name.length() + "\r\n\r\nin " + name + "\r\n")
              .getBytes(StandardCharsets.UTF_8),
          Set.of("\\Seen", "$Work"),
          date);
    }
    archive.close();
    ArchiveLayout layout = new ArchiveLayout(archive.dir());

    assertThat(layout.folders()).containsAll(names.stream().map(FolderPath::parse).toList());
    assertThat(Files.isRegularFile(layout.manifest())).isTrue();
    assertThat(Files.readString(layout.root().resolve(ArchiveLayout.KEYWORDS)))
        .isEqualTo("0 $Work\n");
    var verify = Mailferry.run(Map.of(), "verify", archive.dir().toString());
    assertThat(verify.exitCode()).as(verify.toString()).isZero();
    assertThat(verify.out())
        .contains("7 messages in 7 folders: 0 missing, 0 corrupt, 0 unexpected");
    Path mbox = tmp.resolve("long.mbox");
    var export =
        Mailferry.run(
            Map.of(),
            "export",
            "--from",
            archive.dir().toString(),
            "--folder",
            LONG,
            "--mbox",
            mbox.toString());
    assertThat(export.exitCode()).as(export.toString()).isZero();
    assertThat(Files.readString(mbox)).contains("in " + LONG);
  }

  @Test
  void a_stored_segment_is_a_file_name_and_never_one_of_the_archives_own() {
    for (String name :
        List.of(
            "cur",
            "new",
            "tmp",
            "dovecot-keywords",
            "dovecot-uidlist",
            "dovecot.index.log",
            "mailferry-manifest.jsonl",
            "mailferry-manifest.jsonl.tmp",
            "subscriptions",
            "maildirfolder")) {
      String stored = ArchiveLayout.escape(name);
      assertThat(stored).as(name).isNotEqualTo(name).doesNotStartWith(name.substring(0, 1));
      assertThat(ArchiveLayout.unescape(stored)).isEqualTo(name);
    }
    assertThat(ArchiveLayout.escape("a\u0000b/c")).isEqualTo("a%00b%2Fc");
    assertThat(ArchiveLayout.escape(LONG).getBytes(StandardCharsets.UTF_8).length)
        .isLessThanOrEqualTo(255);
    assertThat(ArchiveLayout.escape(LONG))
        .isNotEqualTo(ArchiveLayout.escape(LONG + "x"))
        .isEqualTo(ArchiveLayout.escape(LONG));
  }

  @Property
  void any_segment_is_stored_as_a_valid_file_name_and_one_that_fits_reads_back(
      @ForAll String segment) {
    if (segment.isEmpty()) {
      return;
    }
    String stored = ArchiveLayout.escape(segment);
    assertThat(stored).doesNotContain("/", "\u0000").isNotIn("", ".", "..", "cur", "new", "tmp");
    assertThat(stored.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(255);
    if (!stored.contains(ArchiveLayout.SHORTENED)) {
      assertThat(ArchiveLayout.unescape(stored)).isEqualTo(segment);
    }
  }
}

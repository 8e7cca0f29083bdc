package io.mailferry.archive;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailferry.testsupport.HardCases;
import io.mailferry.testsupport.Mailferry;
import io.mailferry.testsupport.TestArchive;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** verify and export on archives written in backup's format; no server needed. */
class VerifyAndExportTests {

  @TempDir Path tmp;

  @Test
  void verify_passes_an_intact_archive_with_exit_0() {
    TestArchive archive = sample();

    var run = Mailferry.run(Map.of(), "verify", archive.dir().toString());

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out().strip().lines())
        .singleElement()
        .asString()
        .contains("4 messages in 3 folders: 0 missing, 0 corrupt, 0 unexpected");
  }

  @Test
  void verify_lists_a_corrupt_a_missing_and_an_unexpected_file_with_exit_1() throws Exception {
    TestArchive archive = sample();
    List<TestArchive.Stored> m = archive.messages();
    Files.write(m.get(0).file(), "x".getBytes(), StandardOpenOption.APPEND);
    Files.delete(m.get(1).file());
    Path stray = m.get(2).file().resolveSibling("1700000000.M9U9.other,S=3:2,S");
    Files.writeString(stray, "hi\n");

    var run = Mailferry.run(Map.of(), "verify", archive.dir().toString());

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
    Path root = archive.dir();
    assertThat(run.out().strip().lines().toList())
        .as(run.toString())
        .containsExactlyInAnyOrder(
            "corrupt: " + root.relativize(m.get(0).file()),
            "missing: "
                + m.get(1).folder()
                + "/"
                + MaildirNames.baseOf(m.get(1).file().getFileName().toString()),
            "unexpected: " + root.relativize(stray),
            "mailferry: 4 messages in 3 folders: 1 missing, 1 corrupt, 1 unexpected.");
  }

  @Test
  void verify_of_a_directory_that_is_not_an_archive_is_one_sentence_and_exit_78() throws Exception {
    Files.createDirectories(tmp.resolve("plain"));

    var run = Mailferry.run(Map.of(), "verify", tmp.resolve("plain").toString());

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(78);
    assertThat(run.err().strip().lines())
        .singleElement()
        .asString()
        .startsWith("mailferry: ")
        .contains("is not a mailferry archive");
    assertThat(run.err() + run.out()).doesNotContain("Exception");
  }

  @Test
  void export_writes_an_mboxrd_file_that_reads_back_to_the_exact_bytes() throws Exception {
    TestArchive archive = new TestArchive(tmp.resolve("archive"));
    List<byte[]> expected = new ArrayList<>();
    for (HardCases.HardCase c : HardCases.all()) {
      archive.add("Archiv/Größe", c.raw(), c.flags(), c.internalDate());
    }
    archive.add(
        "Archiv/Größe",
        ("Subject: quoting\r\n\r\nFrom me\r\n>From you\r\n>>From them\r\nFrom the end").getBytes(),
        Set.of(),
        Instant.parse("2025-01-05T06:07:08Z"));
    archive.close();
    archive.messages().stream()
        .sorted(
            java.util.Comparator.comparing(
                s -> MaildirNames.baseOf(s.file().getFileName().toString())))
        .forEach(s -> expected.add(s.raw()));
    Path mbox = tmp.resolve("out.mbox");

    var run =
        Mailferry.run(
            Map.of(),
            "export",
            "--from",
            archive.dir().toString(),
            "--folder",
            "Archiv/Größe",
            "--mbox",
            mbox.toString());

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(mbox)))
        .isEqualTo("rw-------");
    byte[] file = Files.readAllBytes(mbox);
    String text = new String(file, StandardCharsets.ISO_8859_1);
    assertThat(text)
        .startsWith("From MAILER-DAEMON Fri Mar  1 10:00:00 2024\n")
        .contains("\n>From me\r\n>>From you\r\n>>>From them\r\n>From the end\n");
    List<byte[]> read = readMboxrd(file);
    assertThat(read).hasSameSizeAs(expected);
    for (int i = 0; i < read.size(); i++) {
      assertThat(read.get(i)).as("message %d", i).isEqualTo(expected.get(i));
    }
  }

  @Test
  void export_of_a_folder_the_archive_lacks_is_one_sentence() {
    TestArchive archive = sample();

    var run =
        Mailferry.run(
            Map.of(),
            "export",
            "--from",
            archive.dir().toString(),
            "--folder",
            "Nope",
            "--mbox",
            tmp.resolve("x.mbox").toString());

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(78);
    assertThat(run.err().strip().lines())
        .singleElement()
        .asString()
        .contains("has no folder 'Nope'");
    assertThat(Files.exists(tmp.resolve("x.mbox"))).isFalse();
  }

  private TestArchive sample() {
    TestArchive archive = new TestArchive(tmp.resolve("archive"));
    archive.add(
        "INBOX",
        "Subject: a\r\n\r\none\r\n".getBytes(),
        Set.of("\\Seen"),
        Instant.parse("2024-01-01T00:00:00Z"));
    archive.add(
        "INBOX",
        "Subject: b\r\n\r\ntwo\r\n".getBytes(),
        Set.of("$Label1"),
        Instant.parse("2024-01-02T00:00:00Z"));
    archive.add(
        "日本語",
        "Subject: c\r\n\r\nthree\r\n".getBytes(),
        Set.of(),
        Instant.parse("2024-01-03T00:00:00Z"));
    archive.add(
        "Work/Projects",
        "Subject: d\r\n\r\nfour\r\n".getBytes(),
        Set.of(),
        Instant.parse("2024-01-04T00:00:00Z"));
    archive.close();
    return archive;
  }

  /**
   * An independent mboxrd reader: a message starts after a "From " line at the start of the file or
   * after "\n"; it ends before the "\n" that precedes the next "From " line (or the end of file);
   * one '>' comes off every line matching ^>+From .
   */
  static List<byte[]> readMboxrd(byte[] file) {
    String all = new String(file, StandardCharsets.ISO_8859_1);
    List<byte[]> out = new ArrayList<>();
    int start = 0;
    while (start < all.length()) {
      int bodyStart = all.indexOf('\n', start) + 1;
      int next = all.indexOf("\nFrom ", bodyStart - 1);
      int end = next < 0 ? all.length() : next;
      String body = all.substring(bodyStart, end - 0);
      // the separator "\n" we added is the one found at 'next' (or the file's last byte)
      if (next < 0) {
        body = body.substring(0, body.length() - 1);
      }
      ByteArrayOutputStream msg = new ByteArrayOutputStream();
      for (String line : body.split("(?<=\n)", -1)) {
        String unquoted = line.matches("(?s)>+From .*") ? line.substring(1) : line;
        msg.writeBytes(unquoted.getBytes(StandardCharsets.ISO_8859_1));
      }
      out.add(msg.toByteArray());
      start = next < 0 ? all.length() : next + 1;
    }
    return out;
  }
}

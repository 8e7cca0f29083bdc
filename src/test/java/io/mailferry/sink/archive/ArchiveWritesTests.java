package io.mailferry.sink.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailferry.archive.ArchiveCheck;
import io.mailferry.archive.ArchiveLayout;
import io.mailferry.archive.Manifest;
import io.mailferry.archive.ManifestRecord;
import io.mailferry.config.DateWindow;
import io.mailferry.mail.FolderInfo;
import io.mailferry.mail.FolderPath;
import io.mailferry.mail.MessageRef;
import io.mailferry.mail.RawMessage;
import io.mailferry.sink.SinkFolder;
import io.mailferry.source.SourceFolder;
import io.mailferry.source.archive.ArchiveSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** No write in the archive replaces a file it did not mean to replace (issue 16.2). */
class ArchiveWritesTests {

  private static final Instant DATE = Instant.parse("2025-05-01T10:00:00Z");

  @TempDir Path tmp;

  @Test
  void two_source_folders_writing_equal_file_names_into_one_archive_folder_keep_both_messages()
      throws Exception {
    Path dir = tmp.resolve("archive");
    ArchiveSink sink = new ArchiveSink(dir);
    // Merged folders, copied at once; one UIDVALIDITY, UID and date in both: equal base names.
    SinkFolder sent = sink.open("Sent");
    SinkFolder sentItems = sink.open("Sent");
    sent.append(ref("Sent"), message("from Sent"), Set.of(), DATE);
    sentItems.append(ref("Sent Items"), message("from Sent Items"), Set.of(), DATE);
    sent.close();
    sentItems.close();
    sink.close();

    ArchiveLayout layout = new ArchiveLayout(dir);
    Collection<ManifestRecord> records = Manifest.read(layout.manifest()).values();
    assertThat(records)
        .extracting(ManifestRecord::sourceFolder)
        .containsExactlyInAnyOrder("Sent", "Sent Items");
    assertThat(ArchiveLayout.filesByBase(dir.resolve("Sent")).values())
        .extracting(Files::readString)
        .containsExactlyInAnyOrder(text("from Sent"), text("from Sent Items"));
    ArchiveCheck.Result check = ArchiveCheck.run(layout);
    assertThat(check.problems()).isEmpty();
    assertThat(check.messages()).isEqualTo(2);
  }

  @Test
  void
      two_source_folders_merged_into_one_archive_folder_each_keep_their_own_keywords_when_read_back() {
    Path dir = tmp.resolve("archive");
    ArchiveSink sink = new ArchiveSink(dir);
    // Both partitions open the folder before either writes a keyword, as they do when copied at
    // once.
    SinkFolder sent = sink.open("Sent");
    SinkFolder sentItems = sink.open("Sent");
    sent.append(ref("Sent"), message("from Sent"), Set.of("$Work"), DATE);
    sentItems.append(
        ref("Sent Items"), message("from Sent Items"), Set.of("$Private", "\\Seen"), DATE);
    sent.close();
    sentItems.close();
    sink.close();

    assertThat(readBack(dir, "Sent"))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                text("from Sent"), Set.of("$Work"),
                text("from Sent Items"), Set.of("$Private", "\\Seen")));
  }

  @Test
  void
      a_partition_opening_a_merged_folder_leaves_the_message_the_other_partition_is_writing_in_tmp()
          throws Exception {
    Path dir = tmp.resolve("archive");
    ArchiveSink sink = new ArchiveSink(dir);
    SinkFolder sent = sink.open("Sent");
    // A spooled message whose spool file is a pipe: its write waits in tmp/ until the test feeds
    // it.
    byte[] bytes = text("in flight").getBytes();
    RawMessage inFlight;
    try (RawMessage.Spool spool = RawMessage.spool(tmp.resolve("spool"))) {
      spool.write(bytes, 0, bytes.length);
      inFlight = spool.finish();
    }
    Path pipe;
    try (Stream<Path> spooled = Files.list(tmp.resolve("spool"))) {
      pipe = spooled.findFirst().orElseThrow();
    }
    Files.delete(pipe);
    assertThat(new ProcessBuilder("mkfifo", pipe.toString()).start().waitFor()).isZero();
    CompletableFuture<SinkFolder.Appended> writing =
        CompletableFuture.supplyAsync(() -> sent.append(ref("Sent"), inFlight, Set.of(), DATE));
    awaitFileIn(dir.resolve("Sent").resolve("tmp"));

    SinkFolder sentItems =
        sink.open("Sent"); // the merged folder's other partition starts meanwhile
    try (var feed = Files.newOutputStream(pipe)) {
      feed.write(bytes);
    }
    writing.get(30, TimeUnit.SECONDS);
    sent.close();
    sentItems.close();
    sink.close();

    assertThat(ArchiveLayout.filesByBase(dir.resolve("Sent")).values())
        .extracting(Files::readString)
        .containsExactly(text("in flight"));
    assertThat(ArchiveCheck.run(new ArchiveLayout(dir)).problems()).isEmpty();
  }

  private static void awaitFileIn(Path dir) throws Exception {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try (Stream<Path> files = Files.list(dir)) {
        if (files.findAny().isPresent()) {
          return;
        }
      }
      assertThat(System.nanoTime()).as("a file in " + dir).isLessThan(until);
      Thread.sleep(5);
    }
  }

  @Test
  void a_file_that_appeared_under_the_name_a_message_would_take_is_left_as_it_is()
      throws Exception {
    Path dir = tmp.resolve("archive");
    ArchiveSink sink = new ArchiveSink(dir);
    SinkFolder inbox = sink.open("INBOX");
    // Written after the folder was opened, by something else: the name the message would take.
    Path stranger =
        dir.resolve("cur").resolve("1746093600.M7U1.mailferry,S=" + message("mine").size() + ":2,");
    Files.writeString(stranger, text("strange"));

    inbox.append(ref("INBOX"), message("mine"), Set.of(), DATE);
    inbox.close();
    sink.close();

    assertThat(Files.readString(stranger)).isEqualTo(text("strange"));
    assertThat(ArchiveLayout.filesByBase(dir).values())
        .extracting(Files::readString)
        .contains(text("mine"));
  }

  @Test
  void a_manifest_rewrite_that_fails_still_closes_the_manifest_file() throws Exception {
    Path dir = tmp.resolve("archive");
    ArchiveSink sink = new ArchiveSink(dir);
    SinkFolder inbox = sink.open("INBOX");
    inbox.append(ref("INBOX"), message("kept"), Set.of(), DATE);
    inbox.close();
    // The rewrite's temporary file cannot be written (as on a full disk): here a directory is in
    // its place.
    Path tmpCopy = dir.resolve(ArchiveLayout.MANIFEST + ".tmp");
    Files.createDirectories(tmpCopy.resolve("cur"));

    assertThatThrownBy(sink::close).hasMessageContaining("cannot rewrite the manifest");

    // An open file would keep a full file system busy (it could not be unmounted) until the JVM
    // exits.
    assertThat(openFiles()).noneMatch(f -> f.startsWith(dir));
    assertThat(Manifest.read(new ArchiveLayout(dir).manifest())).hasSize(1);
  }

  /** Each message of the folder as restore reads it: its text and its flags and keywords. */
  private Map<String, Set<String>> readBack(Path dir, String folder) {
    Map<String, Set<String>> out = new HashMap<>();
    ArchiveSource source =
        new ArchiveSource(new ArchiveLayout(dir), DateWindow.ALL, tmp.resolve("spool"), 0);
    FolderInfo info =
        source.listFolders().stream()
            .filter(f -> f.path().toString().equals(folder))
            .findFirst()
            .orElseThrow();
    try (SourceFolder read = source.open(info)) {
      List<MessageRef> refs = read.listAfter(0, uid -> false);
      read.fetch(
          refs,
          (ref, raw) -> {
            try (var in = raw.open()) {
              out.put(new String(in.readAllBytes()), ref.flags());
            } catch (IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          });
    }
    return out;
  }

  /** What this process holds open, from /proc (Linux). */
  private static List<Path> openFiles() throws IOException {
    List<Path> open = new ArrayList<>();
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      for (Path fd : fds.toList()) {
        try {
          open.add(Files.readSymbolicLink(fd));
        } catch (IOException closedMeanwhile) {
          // the listing's own descriptor, gone by now
        }
      }
    }
    return open;
  }

  private static MessageRef ref(String folder) {
    return new MessageRef(FolderPath.parse(folder), 7, 1, 40, DATE, Set.of(), null);
  }

  private static RawMessage message(String body) {
    return RawMessage.of(text(body).getBytes());
  }

  private static String text(String body) {
    return "Subject: s\r\n\r\n" + String.format("%-20s", body) + "\r\n";
  }
}

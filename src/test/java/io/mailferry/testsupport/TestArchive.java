package io.mailferry.testsupport;

import io.mailferry.archive.ArchiveLayout;
import io.mailferry.archive.KeywordTable;
import io.mailferry.archive.MaildirNames;
import io.mailferry.archive.Manifest;
import io.mailferry.archive.ManifestRecord;
import io.mailferry.mail.FolderPath;
import io.mailferry.mail.MessageHeaders;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Writes an archive in backup's format (Maildir LAYOUT=fs, flags and keyword letters in file names,
 * dovecot-keywords, one manifest line a message), as restore, verify and export read it, without a
 * server. Each message gets the next UID of one fake source folder.
 */
public final class TestArchive implements AutoCloseable {

  /** A message as the archive holds it: folder path ('/'), bytes, flags and keywords, date. */
  public record Stored(
      String folder, Path file, byte[] raw, Set<String> flags, Instant internalDate) {}

  private final ArchiveLayout layout;
  private final Manifest manifest;
  private final List<Stored> stored = new ArrayList<>();
  private long uid;

  public TestArchive(Path dir) {
    this.layout = new ArchiveLayout(dir);
    layout.ensureFolder(FolderPath.INBOX);
    this.manifest = Manifest.open(layout);
  }

  public Path dir() {
    return layout.root();
  }

  public List<Stored> messages() {
    return List.copyOf(stored);
  }

  public Stored add(String folder, byte[] raw, Collection<String> flags, Instant internalDate) {
    try {
      FolderPath path = FolderPath.parse(folder);
      Path dir = layout.ensureFolder(path);
      String base = MaildirNames.baseName(internalDate, "1U" + (++uid));
      Set<String> sorted = new TreeSet<>(flags);
      String name = MaildirNames.fileName(base, raw.length, sorted, KeywordTable.load(dir));
      Path file = dir.resolve("cur").resolve(name);
      Files.write(file, raw);
      Files.setLastModifiedTime(file, FileTime.from(internalDate));
      manifest.put(
          new ManifestRecord(
              path.toString(),
              base,
              folder,
              "1:" + uid,
              TestMailbox.sha256(raw),
              raw.length,
              List.copyOf(sorted),
              internalDate,
              MessageHeaders.parse(raw).messageId(),
              true));
      Stored s = new Stored(path.toString(), file, raw, Set.copyOf(sorted), internalDate);
      stored.add(s);
      return s;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    manifest.close();
  }
}

package io.mailferry.source.archive;

import io.mailferry.archive.ArchiveLayout;
import io.mailferry.archive.KeywordTable;
import io.mailferry.archive.MaildirNames;
import io.mailferry.archive.ManifestRecord;
import io.mailferry.config.DateWindow;
import io.mailferry.mail.FolderPath;
import io.mailferry.mail.MessageHeaders;
import io.mailferry.mail.MessageRef;
import io.mailferry.mail.RawMessage;
import io.mailferry.source.SourceFolder;
import io.mailferry.source.StableUid;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongPredicate;

/**
 * One archive folder as a source folder. Its messages are its files in cur/ and new/, in order of
 * base name; a message's "UID" is a 63-bit hash of its base name, which never changes (a flag
 * change renames the file after the base only), under a constant UIDVALIDITY. Flags and
 * keywords come from the file name and the folder's dovecot-keywords, the date from the manifest,
 * else the file's mtime.
 */
final class ArchiveSourceFolder implements SourceFolder {

  static final long UIDVALIDITY = 1;
  /** Larger messages are copied to a spool file rather than held in memory. */
  private static final long IN_MEMORY = 1 << 20;
  /** Enough of a file to read its header section for a Message-ID. */
  private static final int HEADER_BYTES = 64 * 1024;

  private record Entry(String base, Path file, long uid, long size, Instant date) {}

  private final FolderPath path;
  private final Path dir;
  private final Map<String, ManifestRecord> manifest;
  private final DateWindow dates;
  private final Path spoolDir;
  private List<Entry> entries;
  private final Map<Long, Entry> byUid = new HashMap<>();

  ArchiveSourceFolder(FolderPath path, Path dir, Map<String, ManifestRecord> manifest, DateWindow dates,
      Path spoolDir) {
    this.path = path;
    this.dir = dir;
    this.manifest = manifest;
    this.dates = dates;
    this.spoolDir = spoolDir;
  }

  @Override
  public long uidValidity() {
    return UIDVALIDITY;
  }

  private void scan() {
    if (entries != null) {
      return;
    }
    entries = new ArrayList<>();
    try {
      for (var e : new TreeMap<>(ArchiveLayout.filesByBase(dir)).entrySet()) {
        Path file = e.getValue();
        ManifestRecord record = record(e.getKey());
        Instant date = record != null && record.internalDate() != null ? record.internalDate()
            : Files.getLastModifiedTime(file).toInstant();
        if (dates.contains(date)) {
          Entry entry = new Entry(e.getKey(), file, StableUid.of(e.getKey()), Files.size(file), date);
          entries.add(entry);
          byUid.put(entry.uid(), entry);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the archive folder " + dir, e);
    }
  }

  private ManifestRecord record(String base) {
    return manifest.get(path + "\u0000" + base);
  }

  @Override
  public List<MessageRef> listAfter(long lastUid, LongPredicate alreadyCopied) {
    scan();
    int start = StableUid.indexAfter(entries, byUid, lastUid);
    KeywordTable keywords = KeywordTable.load(dir);
    List<MessageRef> refs = new ArrayList<>();
    for (Entry e : entries.subList(start, entries.size())) {
      String messageId = alreadyCopied.test(e.uid()) ? null : messageId(e);
      refs.add(new MessageRef(path, UIDVALIDITY, e.uid(), e.size(), e.date(),
          MaildirNames.flagsOf(e.file().getFileName().toString(), keywords), messageId));
    }
    return refs;
  }

  private String messageId(Entry e) {
    ManifestRecord record = record(e.base());
    if (record != null) {
      return record.messageId();
    }
    try (InputStream in = Files.newInputStream(e.file())) {
      return MessageHeaders.parse(in.readNBytes(HEADER_BYTES)).messageId();
    } catch (IOException gone) {
      return null;
    }
  }

  @Override
  public void fetch(List<MessageRef> refs, BodyHandler handler) {
    for (MessageRef ref : refs) {
      Entry e = byUid.get(ref.uid());
      RawMessage raw = e == null ? null : read(e.file());
      if (raw == null) {
        handler.accept(ref, null);
        continue;
      }
      try (raw) {
        handler.accept(new MessageRef(ref.folder(), ref.uidValidity(), ref.uid(), raw.size(), ref.internalDate(),
            ref.flags(), ref.messageId()), raw);
      }
    }
  }

  /** The file's exact bytes, or null when it is gone since the folder was listed. */
  private RawMessage read(Path file) {
    try {
      if (Files.size(file) <= IN_MEMORY) {
        return RawMessage.of(Files.readAllBytes(file));
      }
      try (RawMessage.Spool spool = RawMessage.spool(spoolDir); InputStream in = Files.newInputStream(file)) {
        byte[] buf = new byte[64 * 1024];
        for (int n; (n = in.read(buf)) > 0; ) {
          spool.write(buf, 0, n);
        }
        return spool.finish();
      }
    } catch (NoSuchFileException gone) {
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  @Override
  public void close() {
    // nothing held open
  }
}

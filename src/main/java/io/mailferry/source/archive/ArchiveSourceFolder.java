package io.mailferry.source.archive;

import io.mailferry.archive.ArchiveFiles;
import io.mailferry.archive.ArchiveLayout;
import io.mailferry.archive.ArchiveProblem;
import io.mailferry.archive.KeywordTable;
import io.mailferry.archive.MaildirNames;
import io.mailferry.archive.ManifestRecord;
import io.mailferry.config.DateWindow;
import io.mailferry.mail.FolderPath;
import io.mailferry.mail.MessageHeaders;
import io.mailferry.mail.MessageRef;
import io.mailferry.mail.Printable;
import io.mailferry.mail.RawMessage;
import io.mailferry.mail.StableUid;
import io.mailferry.source.SourceFolder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One archive folder as a source folder. Its messages are its files in cur/ and new/, in order of
 * base name; a message's "UID" is a 63-bit hash of its base name, which never changes (a flag
 * change renames the file after the base only), under a constant UIDVALIDITY. Flags and keywords
 * come from the file name and the folder's dovecot-keywords, the date from the manifest, else the
 * file's mtime.
 */
final class ArchiveSourceFolder implements SourceFolder {

  private static final Logger log = LoggerFactory.getLogger(ArchiveSourceFolder.class);

  static final long UIDVALIDITY = 1;

  /** Larger messages are copied to a spool file rather than held in memory. */
  private static final int IN_MEMORY = 1 << 20;

  /** Enough of a file to read its header section for a Message-ID. */
  private static final int HEADER_BYTES = 64 * 1024;

  /** The largest file read as a message when --max-message-size is not set. */
  static final long LARGEST = ArchiveFiles.LARGEST_MESSAGE;

  private record Entry(String base, Path file, long uid, long size, Instant date) {}

  private final ArchiveLayout layout;
  private final FolderPath path;
  private final Path dir;
  private final Map<String, ManifestRecord> manifest;

  /**
   * What the archive skipped outside this folder's files that this folder reports (see
   * ArchiveSource).
   */
  private final List<ArchiveProblem> reported;

  private final DateWindow dates;
  private final Path spoolDir;

  /** --max-message-size, or 0: then {@link #LARGEST}. */
  private final long maxMessageSize;

  private List<Entry> entries;
  private List<ArchiveProblem> skipped;
  private final Map<Long, Entry> byUid = new HashMap<>();
  private ListingNotes notes = ListingNotes.NONE;

  ArchiveSourceFolder(
      ArchiveLayout layout,
      FolderPath path,
      Map<String, ManifestRecord> manifest,
      List<ArchiveProblem> reported,
      DateWindow dates,
      Path spoolDir,
      long maxMessageSize) {
    this.layout = layout;
    this.path = path;
    this.dir = layout.folderDir(path);
    this.manifest = manifest;
    this.reported = reported;
    this.dates = dates;
    this.spoolDir = spoolDir;
    this.maxMessageSize = maxMessageSize;
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
    ArchiveLayout.MessageFiles listed = layout.messageFiles(dir);
    skipped = new ArrayList<>(listed.problems());
    for (var e : new TreeMap<>(listed.byBase()).entrySet()) {
      Path file = e.getValue();
      BasicFileAttributes attrs;
      try {
        attrs = ArchiveFiles.attributes(file);
      } catch (IOException unreadable) {
        skipped.add(
            new ArchiveProblem(
                layout.relative(file),
                "cannot be read (" + unreadable.getMessage() + "): skipped",
                true));
        continue;
      }
      if (attrs == null || !attrs.isRegularFile()) {
        continue; // gone, or swapped for a link, since it was listed: not a message any more
      }
      ManifestRecord record = record(e.getKey());
      Instant date =
          record != null && record.internalDate() != null
              ? record.internalDate()
              : attrs.lastModifiedTime().toInstant();
      if (dates.contains(date) && maxMessageSize <= 0 && attrs.size() > LARGEST) {
        // A failure, never read. Under --max-message-size it is listed: skipped then, as from any
        // source.
        skipped.add(
            new ArchiveProblem(
                layout.relative(file), attrs.size() + " bytes, " + tooLarge() + ": skipped", true));
      } else if (dates.contains(date)) {
        Entry entry = new Entry(e.getKey(), file, StableUid.of(e.getKey()), attrs.size(), date);
        entries.add(entry);
        byUid.put(entry.uid(), entry);
      }
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
    // Told at a listing from the start only: a resumed folder's tally already holds them.
    notes = lastUid == 0 ? notes(keywords) : ListingNotes.NONE;
    List<MessageRef> refs = new ArrayList<>();
    for (Entry e : entries.subList(start, entries.size())) {
      String messageId = alreadyCopied.test(e.uid()) ? null : messageId(e);
      refs.add(
          new MessageRef(
              path,
              UIDVALIDITY,
              e.uid(),
              e.size(),
              e.date(),
              MaildirNames.flagsOf(e.file().getFileName().toString(), keywords),
              messageId));
    }
    return refs;
  }

  /**
   * What was skipped: a file or folder not restored is a failure of this folder (the run does not
   * exit 0), a manifest or keyword line a warning (the messages are restored all the same).
   */
  private ListingNotes notes(KeywordTable keywords) {
    List<ArchiveProblem> all = new ArrayList<>(skipped);
    all.addAll(reported);
    all.addAll(keywords.problems(layout.relative(dir.resolve(ArchiveLayout.KEYWORDS))));
    List<String> warnings = new ArrayList<>();
    List<ListingNotes.Unlisted> unlisted = new ArrayList<>();
    for (ArchiveProblem p : all) {
      log.warn("{}: {}", Printable.escape(path.toString()), p);
      if (p.mailSkipped()) {
        unlisted.add(new ListingNotes.Unlisted(0, p.toString(), 1));
      } else {
        warnings.add(p.toString());
      }
    }
    return new ListingNotes(warnings, unlisted, -1);
  }

  @Override
  public ListingNotes listingNotes() {
    return notes;
  }

  private String messageId(Entry e) {
    ManifestRecord record = record(e.base());
    if (record != null) {
      return record.messageId();
    }
    try (InputStream in = ArchiveFiles.open(e.file())) {
      return MessageHeaders.parse(in.readNBytes(HEADER_BYTES)).messageId();
    } catch (IOException gone) {
      return null;
    }
  }

  @Override
  public void fetch(List<MessageRef> refs, BodyHandler handler) {
    for (MessageRef ref : refs) {
      Entry e = byUid.get(ref.uid());
      RawMessage raw;
      try {
        raw = e == null ? null : read(e.file());
      } catch (TooLarge grown) {
        handler.unreadable(
            ref, layout.relative(e.file()) + ": " + tooLarge() + " since it was listed: skipped");
        continue;
      } catch (IOException unreadable) {
        // e.g. swapped for a link since it was listed (O_NOFOLLOW refuses it): a failed message
        handler.unreadable(
            ref, layout.relative(e.file()) + " cannot be read (" + unreadable.getMessage() + ")");
        continue;
      }
      if (raw == null) {
        handler.accept(ref, null);
        continue;
      }
      try (raw) {
        handler.accept(
            new MessageRef(
                ref.folder(),
                ref.uidValidity(),
                ref.uid(),
                raw.size(),
                ref.internalDate(),
                ref.flags(),
                ref.messageId()),
            raw);
      }
    }
  }

  private long largest() {
    return maxMessageSize > 0 ? maxMessageSize : LARGEST;
  }

  private String tooLarge() {
    return maxMessageSize > 0
        ? "more than --max-message-size (" + maxMessageSize + " bytes)"
        : "more than mailferry reads of one message ("
            + LARGEST
            + " bytes; --max-message-size allows more)";
  }

  /** A file that grew past {@link #largest()} since it was listed: no byte beyond that is read. */
  private static final class TooLarge extends IOException {
    private static final long serialVersionUID = 1L;
  }

  /**
   * The file's exact bytes, or null when it is gone since the folder was listed. Opened without
   * following a link; small files are held in memory, larger ones spooled; at most one byte beyond
   * {@link #largest()} is read.
   */
  private RawMessage read(Path file) throws IOException {
    long largest = largest();
    try (InputStream in = ArchiveFiles.open(file)) {
      byte[] head = in.readNBytes((int) Math.min(IN_MEMORY, largest) + 1);
      if (head.length > largest) {
        throw new TooLarge();
      }
      if (head.length <= IN_MEMORY) {
        return RawMessage.of(head);
      }
      try (RawMessage.Spool spool = RawMessage.spool(spoolDir)) {
        spool.write(head, 0, head.length);
        long read = head.length;
        byte[] buf = new byte[64 * 1024];
        for (int n; (n = in.read(buf, 0, (int) Math.min(buf.length, largest - read + 1))) > 0; ) {
          read += n;
          if (read > largest) {
            throw new TooLarge();
          }
          spool.write(buf, 0, n);
        }
        return spool.finish();
      }
    } catch (NoSuchFileException gone) {
      return null;
    }
  }

  @Override
  public void close() {
    // nothing held open
  }
}

package io.mailferry.sink.archive;

import io.mailferry.archive.KeywordTable;
import io.mailferry.archive.MaildirNames;
import io.mailferry.archive.Manifest;
import io.mailferry.archive.ManifestRecord;
import io.mailferry.mail.ContentKey;
import io.mailferry.mail.FolderPath;
import io.mailferry.mail.MailferryException;
import io.mailferry.mail.MessageFlags;
import io.mailferry.mail.MessageRef;
import io.mailferry.mail.RawMessage;
import io.mailferry.mail.StableUid;
import io.mailferry.sink.SinkFolder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * One archive folder open for writing. A message is written to tmp/, forced to disk, given its
 * INTERNALDATE as modification time, then renamed into cur/ with its flags: a reader never sees
 * half a file, and a killed backup leaves at most a file in tmp/. Not thread-safe.
 */
final class ArchiveSinkFolder implements SinkFolder {

  /** The archive's stand-in for UIDVALIDITY in ledger rows: its "UIDs" are hashes of base names. */
  static final long UID_VALIDITY = 1;

  private final FolderPath path;
  private final String label;
  private final Path dir;
  private final Manifest manifest;
  private final KeywordTable keywords;
  private final FolderFiles files;
  private final Map<Long, ManifestRecord> byUid = new HashMap<>();
  private Map<String, String> baseBySourceKey;

  ArchiveSinkFolder(FolderPath path, Path dir, Manifest manifest, FolderDirectory shared) {
    this.path = path;
    this.label = String.join("/", path.segments());
    this.dir = dir;
    this.manifest = manifest;
    this.keywords = shared.keywords();
    this.files = shared.files();
  }

  @Override
  public List<Stored> index() {
    List<Stored> stored = new ArrayList<>();
    for (ManifestRecord r : manifest.inFolder(label)) {
      if (files.contains(r.base())) {
        long uid = uidOf(r.base());
        byUid.put(uid, r);
        stored.add(
            new Stored(
                uid, new ContentKey(r.messageId(), r.size(), r.internalDate().getEpochSecond())));
      }
    }
    return stored;
  }

  @Override
  public String sha256(long uid) {
    ManifestRecord r = byUid.get(uid);
    return r == null ? null : r.sha256();
  }

  /**
   * The system flags and every IMAP keyword (keywords beyond 26 per folder stay in the manifest
   * only, as the README says). Anything else ({@code \Foo}, {@code a b}) no file name can carry: it
   * is dropped and so reported, never kept and then lost.
   */
  @Override
  public FlagFilter flagFilter() {
    return (flags, dropped) -> {
      Set<String> kept = new LinkedHashSet<>();
      for (String flag : flags) {
        (MessageFlags.isSystem(flag) || MessageFlags.isValidKeyword(flag) ? kept : dropped)
            .add(flag);
      }
      return kept;
    };
  }

  @Override
  public Appended append(RawMessage message, Set<String> flags, Instant internalDate) {
    return write(message.sha256().substring(0, 16), null, null, message, flags, internalDate);
  }

  @Override
  public Appended append(
      MessageRef source, RawMessage message, Set<String> flags, Instant internalDate) {
    return write(
        source.uidValidity() + "U" + source.uid(),
        source,
        source.messageId(),
        message,
        flags,
        internalDate);
  }

  private Appended write(
      String key,
      MessageRef source,
      String messageId,
      RawMessage message,
      Set<String> flags,
      Instant internalDate) {
    String base = MaildirNames.baseName(internalDate, key);
    Path existing = files.get(base);
    if (existing != null
        && message.sha256().equals(sha256Of(existing))
        && ownRecord(base, source)) {
      // Written by a run that was killed before recording it: record it now, write nothing.
      record(base, source, messageId, message, flags, internalDate);
      return new Appended(UID_VALIDITY, uidOf(base));
    }
    Path tmp = null;
    try {
      for (int n = 2; ; n++) {
        Path target =
            dir.resolve("cur")
                .resolve(MaildirNames.fileName(base, message.size(), flags, keywords));
        if (files.claim(base, target)) {
          tmp = tmp != null ? tmp : writeTmp(base, message, internalDate);
          if (placeNew(tmp, target)) {
            record(base, source, messageId, message, flags, internalDate);
            return new Appended(UID_VALIDITY, uidOf(base));
          }
          files.remove(
              base); // a file of that name is there, not known when the folder was opened: leave it
          // be
        }
        base = MaildirNames.baseName(internalDate, key + "_" + n);
      }
    } catch (IOException e) {
      if (String.valueOf(e.getMessage()).contains("No space left")) {
        throw new MailferryException.DestinationFull(
            "The archive's file system is full (" + dir + ").", e);
      }
      throw new UncheckedIOException("cannot write a message to " + dir.resolve("cur"), e);
    } finally {
      deleteQuietly(tmp);
    }
  }

  /** No record names this file yet, or it names this very source message (not another folder's). */
  private boolean ownRecord(String base, MessageRef source) {
    ManifestRecord r = manifest.get(label, base);
    return r == null
        || (source != null
            && Objects.equals(r.sourceFolder(), sourceFolderOf(source))
            && Objects.equals(r.sourceKey(), sourceKey(source)));
  }

  private static String sourceFolderOf(MessageRef source) {
    return String.join("/", source.folder().segments());
  }

  /** The message in tmp/, forced to disk and dated by its INTERNALDATE. */
  private Path writeTmp(String base, RawMessage message, Instant internalDate) throws IOException {
    Path tmp = dir.resolve("tmp").resolve(base + "." + ProcessHandle.current().pid());
    try (FileChannel out =
        FileChannel.open(
            tmp,
            Set.of(
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
      OutputStream stream = Channels.newOutputStream(out);
      message.writeTo(stream);
      stream.flush();
      out.force(true);
    }
    Files.setLastModifiedTime(tmp, FileTime.from(internalDate));
    return tmp;
  }

  /**
   * Gives the written file its name in cur/ only if no file has that name: link(2) fails on an
   * existing name, where rename(2) (an atomic move) would silently replace it (issue 16.2: two
   * folders writing equal names overwrote each other). The Maildir way: link, then unlink tmp/. A
   * file system without hard links gets a move that refuses an existing name (not atomic).
   *
   * @return false when the name is taken
   */
  private static boolean placeNew(Path tmp, Path target) throws IOException {
    try {
      try {
        Files.createLink(target, tmp);
      } catch (UnsupportedOperationException | java.nio.file.FileSystemException noLinks) {
        if (noLinks instanceof FileAlreadyExistsException) {
          throw (FileAlreadyExistsException) noLinks;
        }
        Files.move(tmp, target);
      }
      return true;
    } catch (FileAlreadyExistsException taken) {
      return false;
    }
  }

  private void record(
      String base,
      MessageRef source,
      String messageId,
      RawMessage message,
      Set<String> flags,
      Instant internalDate) {
    manifest.put(
        new ManifestRecord(
            label,
            base,
            source == null ? null : sourceFolderOf(source),
            source == null ? null : sourceKey(source),
            message.sha256(),
            message.size(),
            sorted(flags),
            internalDate,
            messageId,
            true));
  }

  @Override
  public void refreshFlags(MessageRef source, Set<String> flags) {
    ManifestRecord r = recordOf(source);
    if (r == null || new TreeSet<>(r.flags()).equals(new TreeSet<>(flags))) {
      return;
    }
    Path file = files.get(r.base());
    // The base name is this message's own (claimed in FolderFiles), so the new name replaces
    // nothing else.
    Path renamed =
        dir.resolve("cur").resolve(MaildirNames.fileName(r.base(), r.size(), flags, keywords));
    try {
      Files.move(file, renamed, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot rename " + file, e);
    }
    files.put(r.base(), renamed);
    manifest.put(r.withFlags(sorted(flags)));
  }

  @Override
  public Sweep sweep(String sourceFolder, Collection<MessageRef> atSource, MirrorGuard mirror) {
    Set<String> present = new HashSet<>();
    for (MessageRef ref : atSource) {
      present.add(sourceKey(ref));
    }
    List<ManifestRecord> gone = new ArrayList<>();
    long known = 0;
    for (ManifestRecord r : manifest.inFolder(label)) {
      // Never derived from the listing: an empty source folder has none to tell its name (issue
      // 16.1).
      if (!sourceFolder.equals(r.sourceFolder()) || r.sourceKey() == null) {
        continue;
      }
      known++;
      if (!present.contains(r.sourceKey())) {
        gone.add(r);
      }
    }
    String held = mirror == null || gone.isEmpty() ? null : mirror.refusal(gone.size(), known);
    int marked = 0;
    int removed = 0;
    for (ManifestRecord r : gone) {
      if (mirror != null && held == null) {
        deleteQuietly(files.remove(r.base()));
        manifest.remove(label, r.base());
        removed++;
      } else if (r.atSource()) {
        manifest.put(r.goneFromSource());
        marked++;
      }
    }
    return new Sweep(marked, removed, held);
  }

  /**
   * The archived record of a source message. Called for every known message of a nightly run, so
   * the folder's records are indexed by source key once, not searched each time.
   */
  private ManifestRecord recordOf(MessageRef source) {
    if (baseBySourceKey == null) {
      baseBySourceKey = new HashMap<>();
      for (ManifestRecord r : manifest.inFolder(label)) {
        if (r.sourceKey() != null) {
          baseBySourceKey.put(r.sourceKey(), r.base());
        }
      }
    }
    String base = baseBySourceKey.get(sourceKey(source));
    return base == null || !files.contains(base) ? null : manifest.get(label, base);
  }

  @Override
  public void close() {
    try {
      manifest.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String sourceKey(MessageRef ref) {
    return ref.uidValidity() + ":" + ref.uid();
  }

  /** The archive's UID for a file: the same stable hash restore reads it back with. */
  static long uidOf(String base) {
    return StableUid.of(base);
  }

  private static String sha256Of(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[64 * 1024];
      for (int n; (n = in.read(buf)) > 0; ) {
        digest.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (IOException | java.security.NoSuchAlgorithmException e) {
      return null;
    }
  }

  private static List<String> sorted(Set<String> flags) {
    return new ArrayList<>(new TreeSet<>(flags));
  }

  static void deleteQuietly(Path file) {
    if (file == null) {
      return;
    }
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // nothing more to do
    }
  }
}

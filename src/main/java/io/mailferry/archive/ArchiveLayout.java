package io.mailferry.archive;

import io.mailferry.mail.FolderPath;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Where things live in an archive directory: a Maildir tree in Dovecot's LAYOUT=fs with UTF-8
 * names, which Dovecot ({@code maildir:DIR:LAYOUT=fs:UTF-8}), mutt and mbsync (SubFolders
 * Verbatim) open as it is. INBOX is the root itself; folder "Work/Projects" is
 * {@code DIR/Work/Projects}; each folder holds {@code cur/ new/ tmp/} and, when its messages
 * have keywords, a {@code dovecot-keywords} file. The manifest is {@code DIR/mailferry-manifest.jsonl}.
 *
 * <p>A name segment is stored as it is (UTF-8, any script) except where the file system or
 * Maildir would misread it: '%' becomes "%25", a leading '.' "%2E", a control character
 * (NUL included) or '/' its "%XX", and a segment that a file of the archive or of Dovecot could
 * be mistaken for (cur, new, tmp, anything beginning "dovecot" or "mailferry-manifest",
 * subscriptions, maildirfolder) gets its first letter escaped ("%63ur", "%6Dailferry-manifest.jsonl").
 * A stored segment longer than a file name may be (255 bytes) keeps its first 200 bytes and adds
 * "%~" and 16 hex digits of the SHA-256 of the whole segment (issue 16.5): the same name gives the
 * same directory, "%~" never appears in an escaped name, and the manifest, whose records keep the
 * full name, tells readers which folder the directory holds.
 */
public final class ArchiveLayout {

  public static final String MANIFEST = "mailferry-manifest.jsonl";
  public static final String KEYWORDS = "dovecot-keywords";
  private static final Set<String> MAILDIR_DIRS = Set.of("cur", "new", "tmp");
  /** Names of files that Dovecot keeps beside a Maildir's cur/ (a folder so named would take their place). */
  private static final Set<String> RESERVED = Set.of("cur", "new", "tmp", "subscriptions", "maildirfolder");
  private static final List<String> RESERVED_PREFIXES = List.of("dovecot", "mailferry-manifest");
  /** Linux's NAME_MAX, in bytes. */
  private static final int NAME_MAX = 255;
  private static final int SHORTENED_KEEP = 200;
  /** Marks a shortened segment: an escaped name never holds a '%' not followed by two hex digits. */
  static final String SHORTENED = "%~";

  private final Path root;

  public ArchiveLayout(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  public Path root() {
    return root;
  }

  public Path manifest() {
    return root.resolve(MANIFEST);
  }

  /** Whether the root holds an archive: its manifest, or at least an INBOX (a backup of nothing yet). */
  public boolean isArchive() {
    return Files.isRegularFile(manifest()) || Files.isDirectory(root.resolve("cur"));
  }

  public Path folderDir(FolderPath folder) {
    if (folder.isInbox()) {
      return root;
    }
    Path dir = root;
    for (String segment : folder.segments()) {
      dir = dir.resolve(escape(segment));
    }
    return dir;
  }

  /** Creates the folder's cur/new/tmp (and its parents), private to the user. */
  public Path ensureFolder(FolderPath folder) {
    Path dir = folderDir(folder);
    for (String sub : List.of("cur", "new", "tmp")) {
      createPrivateDirectories(dir.resolve(sub));
    }
    return dir;
  }

  /**
   * Every folder of the archive (a directory holding cur/), INBOX first when it exists, under its
   * full name: a shortened directory is named by the manifest record whose folder it holds.
   */
  public List<FolderPath> folders() {
    List<FolderPath> out = new ArrayList<>();
    if (!Files.isDirectory(root)) {
      return out;
    }
    List<Path> found;
    try (Stream<Path> dirs = Files.walk(root)) {
      found = dirs.filter(d -> Files.isDirectory(d.resolve("cur")) && !MAILDIR_DIRS.contains(d.getFileName().toString()))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the archive " + root, e);
    }
    Map<Path, FolderPath> fullNames = null;
    for (Path d : found) {
      Path relative = root.relativize(d);
      if (d.equals(root)) {
        out.add(FolderPath.INBOX);
        continue;
      }
      if (relative.toString().contains(SHORTENED)) {
        // Read only when needed: a nightly backup of an archive without long names never reads the manifest here.
        fullNames = fullNames == null ? fullNames() : fullNames;
        FolderPath full = fullNames.get(d);
        if (full != null) {
          out.add(full);
          continue;
        }
      }
      out.add(pathOf(relative));
    }
    return out;
  }

  /** The directory of every folder the manifest names, to the folder's full name. */
  private Map<Path, FolderPath> fullNames() {
    Map<Path, FolderPath> names = new HashMap<>();
    for (ManifestRecord r : Manifest.read(manifest()).values()) {
      if (r.folder() != null && !r.folder().isEmpty()) {
        FolderPath folder = FolderPath.parse(r.folder());
        names.putIfAbsent(folderDir(folder), folder);
      }
    }
    return names;
  }

  /** The message files of a folder (cur/ and new/), by base name. */
  public static java.util.Map<String, Path> filesByBase(Path folderDir) {
    java.util.Map<String, Path> files = new java.util.HashMap<>();
    for (String sub : List.of("new", "cur")) {
      Path dir = folderDir.resolve(sub);
      if (!Files.isDirectory(dir)) {
        continue;
      }
      try (Stream<Path> list = Files.list(dir)) {
        list.filter(Files::isRegularFile).forEach(f -> files.put(MaildirNames.baseOf(f.getFileName().toString()), f));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list " + dir, e);
      }
    }
    return files;
  }

  private static FolderPath pathOf(Path relative) {
    List<String> segments = new ArrayList<>();
    for (Path p : relative) {
      segments.add(unescape(p.toString()));
    }
    return new FolderPath(segments);
  }

  static String escape(String segment) {
    StringBuilder b = new StringBuilder(segment.length() + 8);
    for (int i = 0; i < segment.length(); i++) {
      char c = segment.charAt(i);
      boolean escaped = c == '%' || c == '/' || c < 0x20 || c == 0x7F || (i == 0 && (c == '.' || reserved(segment)));
      if (escaped) {
        b.append(String.format("%%%02X", (int) c));
      } else {
        b.append(c);
      }
    }
    return shorten(b.toString(), segment);
  }

  private static boolean reserved(String segment) {
    return RESERVED.contains(segment) || RESERVED_PREFIXES.stream().anyMatch(segment::startsWith);
  }

  /** A stored segment that fits a file name; the same segment always gives the same shortened name. */
  private static String shorten(String stored, String segment) {
    if (stored.getBytes(StandardCharsets.UTF_8).length <= NAME_MAX) {
      return stored;
    }
    StringBuilder kept = new StringBuilder();
    int bytes = 0;
    for (int i = 0; i < stored.length(); ) {
      int cp = stored.codePointAt(i);
      int len = cp == '%' ? 3 : Character.charCount(cp);
      String piece = stored.substring(i, Math.min(i + len, stored.length())); // "%XX" is kept whole or not at all
      int pieceBytes = piece.getBytes(StandardCharsets.UTF_8).length;
      if (bytes + pieceBytes > SHORTENED_KEEP) {
        break;
      }
      kept.append(piece);
      bytes += pieceBytes;
      i += piece.length();
    }
    String hash = HexFormat.of().formatHex(sha256(segment.getBytes(StandardCharsets.UTF_8))).substring(0, 16);
    return kept + SHORTENED + hash;
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The segment a stored name stands for; a '%' not followed by two hex digits is taken as it is. */
  static String unescape(String stored) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < stored.length(); i++) {
      char c = stored.charAt(i);
      if (c == '%' && hex(stored, i + 1)) {
        out.append((char) Integer.parseInt(stored.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static boolean hex(String s, int at) {
    return at + 2 <= s.length() && HexFormat.isHexDigit(s.charAt(at)) && HexFormat.isHexDigit(s.charAt(at + 1));
  }

  /** A file only its owner may read or write (0600). */
  public static void makePrivate(Path file) throws IOException {
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
  }

  public static void createPrivateDirectories(Path dir) {
    try {
      Path missing = dir;
      List<Path> toCreate = new ArrayList<>();
      while (missing != null && !Files.exists(missing)) {
        toCreate.add(0, missing);
        missing = missing.getParent();
      }
      for (Path p : toCreate) {
        try {
          Files.createDirectory(p, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (java.nio.file.FileAlreadyExistsException racedWithAnotherFolder) {
          // two folders copied at once share a parent: fine
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir, e);
    }
  }
}

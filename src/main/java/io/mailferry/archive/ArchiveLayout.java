package io.mailferry.archive;

import io.mailferry.mail.FolderPath;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
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
 * names, which Dovecot ({@code maildir:DIR:LAYOUT=fs:UTF-8}), mutt and mbsync (SubFolders Verbatim)
 * open as it is. INBOX is the root itself; folder "Work/Projects" is {@code DIR/Work/Projects};
 * each folder holds {@code cur/ new/ tmp/} and, when its messages have keywords, a {@code
 * dovecot-keywords} file. The manifest is {@code DIR/mailferry-manifest.jsonl}.
 *
 * <p>A name segment is stored as it is (UTF-8, any script) except where the file system or Maildir
 * would misread it: '%' becomes "%25", a leading '.' "%2E", a control character (NUL included) or
 * '/' its "%XX", and a segment that a file of the archive or of Dovecot could be mistaken for (cur,
 * new, tmp, anything beginning "dovecot" or "mailferry-manifest", subscriptions, maildirfolder)
 * gets its first letter escaped ("%63ur", "%6Dailferry-manifest.jsonl"). A stored segment longer
 * than a file name may be (255 bytes) keeps its first 200 bytes and adds "%~" and 16 hex digits of
 * the SHA-256 of the whole segment (issue 16.5): the same name gives the same directory, "%~" never
 * appears in an escaped name, and the manifest, whose records keep the full name, tells readers
 * which folder the directory holds.
 */
public final class ArchiveLayout {

  public static final String MANIFEST = "mailferry-manifest.jsonl";
  public static final String KEYWORDS = "dovecot-keywords";
  private static final Set<String> MAILDIR_DIRS = Set.of("cur", "new", "tmp");

  /**
   * Names of files that Dovecot keeps beside a Maildir's cur/ (a folder so named would take their
   * place).
   */
  private static final Set<String> RESERVED =
      Set.of("cur", "new", "tmp", "subscriptions", "maildirfolder");

  private static final List<String> RESERVED_PREFIXES = List.of("dovecot", "mailferry-manifest");

  /** Linux's NAME_MAX, in bytes. */
  private static final int NAME_MAX = 255;

  private static final int SHORTENED_KEEP = 200;

  /**
   * Marks a shortened segment: an escaped name never holds a '%' not followed by two hex digits.
   */
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

  /**
   * Whether the root holds an archive: its manifest, or at least an INBOX (a backup of nothing
   * yet).
   */
  public boolean isArchive() {
    return Files.exists(manifest(), LinkOption.NOFOLLOW_LINKS)
        || ArchiveFiles.isDirectory(root.resolve("cur"));
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
    return scan().folders();
  }

  /** The folders of an archive, and the directories that look like folders but are skipped. */
  public record Scan(List<FolderPath> folders, List<ArchiveProblem> problems) {}

  /**
   * Walks the archive without following links. A folder is a real directory holding a real cur/
   * directory, under real directories only, with a name mailferry writes; a symbolic link to a
   * directory, or a name that does not decode, is a problem and its subtree is not read. cur/, new/
   * and tmp/ are not walked into: they hold messages, not folders.
   */
  public Scan scan() {
    List<Path> dirs = new ArrayList<>();
    List<ArchiveProblem> problems = new ArrayList<>();
    if (!Files.isDirectory(root)) {
      return new Scan(List.of(), List.of());
    }
    Path start;
    try {
      start = root.toRealPath(); // the directory the user named may be a link; nothing under it is
      // followed
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the archive " + root, e);
    }
    try {
      Files.walkFileTree(
          start,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
              if (!dir.equals(start)) {
                String name = dir.getFileName().toString();
                if (MAILDIR_DIRS.contains(name)) {
                  return FileVisitResult.SKIP_SUBTREE;
                }
                if (unescape(name) == null) {
                  problems.add(
                      new ArchiveProblem(
                          relative(start, dir),
                          "not a folder name mailferry writes (a '%' not followed "
                              + "by two hex digits): skipped",
                          true));
                  return FileVisitResult.SKIP_SUBTREE;
                }
              }
              Path cur = dir.resolve("cur");
              if (ArchiveFiles.isDirectory(cur)) {
                dirs.add(dir);
              } else if (Files.isSymbolicLink(cur)) {
                problems.add(
                    new ArchiveProblem(
                        relative(start, cur),
                        "a symbolic link, not a Maildir directory: the folder is " + "skipped",
                        true));
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
              // Not followed: a link to a directory would make a folder of whatever it points at.
              if (attrs.isSymbolicLink()
                  && Files.isDirectory(file)
                  && !MAILDIR_DIRS.contains(file.getFileName().toString())) {
                problems.add(
                    new ArchiveProblem(
                        relative(start, file),
                        "a symbolic link, not a folder directory: skipped",
                        true));
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
              problems.add(
                  new ArchiveProblem(
                      relative(start, file),
                      "cannot be read (" + e.getMessage() + "): skipped",
                      true));
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the archive " + root, e);
    }
    List<FolderPath> out = new ArrayList<>();
    Map<Path, FolderPath> fullNames = null;
    for (Path d : dirs.stream().sorted().toList()) {
      if (d.equals(start)) {
        out.add(FolderPath.INBOX);
        continue;
      }
      Path relative = start.relativize(d);
      if (relative.toString().contains(SHORTENED)) {
        // Read only when needed: a nightly backup of an archive without long names never reads the
        // manifest here.
        fullNames = fullNames == null ? fullNames() : fullNames;
        FolderPath full = fullNames.get(relative);
        if (full != null) {
          out.add(full);
          continue;
        }
      }
      out.add(pathOf(relative));
    }
    return new Scan(out, problems);
  }

  /** The directory of every folder the manifest names, to the folder's full name. */
  private Map<Path, FolderPath> fullNames() {
    Map<Path, FolderPath> names = new HashMap<>();
    for (ManifestRecord r : Manifest.read(manifest()).values()) {
      if (r.folder() != null && !r.folder().isEmpty()) {
        FolderPath folder = FolderPath.parse(r.folder());
        names.putIfAbsent(root.relativize(folderDir(folder)), folder);
      }
    }
    return names;
  }

  /** The message files of a folder, and the entries of its cur/ and new/ that are skipped. */
  public record MessageFiles(Map<String, Path> byBase, List<ArchiveProblem> problems) {}

  /**
   * The message files of a folder (cur/ and new/), by base name: regular files only. A link, a
   * directory or a device in cur/ or new/ is a problem, never opened; so is a folder directory
   * reached through a link (then nothing of it is read).
   */
  public MessageFiles messageFiles(Path folderDir) {
    return listMessageFiles(root, folderDir);
  }

  /**
   * The message files of a folder (cur/ and new/), by base name; what is not a regular file is left
   * out.
   */
  public static Map<String, Path> filesByBase(Path folderDir) {
    return listMessageFiles(folderDir, folderDir).byBase();
  }

  private static MessageFiles listMessageFiles(Path root, Path folderDir) {
    Map<String, Path> files = new HashMap<>();
    List<ArchiveProblem> problems = new ArrayList<>();
    Path normalized = folderDir.toAbsolutePath().normalize();
    for (Path p = normalized;
        p != null && p.startsWith(root) && !p.equals(root);
        p = p.getParent()) {
      if (!ArchiveFiles.isDirectory(p)) {
        return new MessageFiles(files, problems); // a link or nothing: the scan names it
      }
    }
    for (String sub : List.of("new", "cur")) {
      Path dir = normalized.resolve(sub);
      if (Files.isSymbolicLink(dir)) {
        problems.add(
            new ArchiveProblem(
                relative(root, dir),
                "a symbolic link, not a Maildir directory: " + "skipped",
                true));
        continue;
      }
      if (!ArchiveFiles.isDirectory(dir)) {
        continue;
      }
      try (Stream<Path> list = Files.list(dir)) {
        for (Path f : (Iterable<Path>) list::iterator) {
          BasicFileAttributes attrs = ArchiveFiles.attributes(f);
          String not = attrs == null ? null : ArchiveFiles.notRegular(attrs);
          if (not != null) {
            problems.add(
                new ArchiveProblem(relative(root, f), not + ", not a message file: skipped", true));
          } else if (attrs != null) {
            files.put(MaildirNames.baseOf(f.getFileName().toString()), f);
          }
        }
      } catch (IOException | UncheckedIOException e) {
        problems.add(
            new ArchiveProblem(
                relative(root, dir), "cannot be listed (" + e.getMessage() + "): skipped", true));
      }
    }
    return new MessageFiles(files, problems);
  }

  /** A path of the archive as a problem names it: relative to the root ("." for the root). */
  public String relative(Path path) {
    return relative(root, path.toAbsolutePath().normalize());
  }

  private static String relative(Path root, Path path) {
    String r = root.relativize(path).toString();
    return r.isEmpty() ? "." : r;
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
      boolean escaped =
          c == '%'
              || c == '/'
              || c < 0x20
              || c == 0x7F
              || (i == 0 && (c == '.' || reserved(segment)));
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

  /**
   * A stored segment that fits a file name; the same segment always gives the same shortened name.
   */
  private static String shorten(String stored, String segment) {
    if (stored.getBytes(StandardCharsets.UTF_8).length <= NAME_MAX) {
      return stored;
    }
    StringBuilder kept = new StringBuilder();
    int bytes = 0;
    for (int i = 0; i < stored.length(); ) {
      int cp = stored.codePointAt(i);
      int len = cp == '%' ? 3 : Character.charCount(cp);
      String piece =
          stored.substring(
              i, Math.min(i + len, stored.length())); // "%XX" is kept whole or not at all
      int pieceBytes = piece.getBytes(StandardCharsets.UTF_8).length;
      if (bytes + pieceBytes > SHORTENED_KEEP) {
        break;
      }
      kept.append(piece);
      bytes += pieceBytes;
      i += piece.length();
    }
    String hash =
        HexFormat.of().formatHex(sha256(segment.getBytes(StandardCharsets.UTF_8))).substring(0, 16);
    return kept + SHORTENED + hash;
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The segment a stored name stands for, or null when it is not a name {@link #escape} writes: a
   * '%' not followed by two hex digits (a plain Maildir's "50%off" is one); the mark of a shortened
   * segment stays as it is (its full name is in the manifest).
   */
  static String unescape(String stored) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < stored.length(); i++) {
      char c = stored.charAt(i);
      if (c == '%' && stored.startsWith(SHORTENED, i)) {
        out.append(c);
      } else if (c == '%') {
        int hi = i + 2 < stored.length() ? hexDigit(stored.charAt(i + 1)) : -1;
        int lo = hi >= 0 ? hexDigit(stored.charAt(i + 2)) : -1;
        if (lo < 0) {
          return null;
        }
        out.append((char) (hi * 16 + lo));
        i += 2;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** ASCII hex only: Character.digit would also take other scripts' digits. */
  private static int hexDigit(char c) {
    return c < 128 ? Character.digit(c, 16) : -1;
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
          Files.createDirectory(
              p,
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (java.nio.file.FileAlreadyExistsException racedWithAnotherFolder) {
          // two folders copied at once share a parent: fine
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir, e);
    }
  }
}

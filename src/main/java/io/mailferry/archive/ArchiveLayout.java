package io.mailferry.archive;

import io.mailferry.mail.FolderPath;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
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
 * Maildir would misread it: '%' becomes "%25", a leading '.' "%2E", and a segment named cur,
 * new or tmp gets its first letter escaped ("%63ur").
 */
public final class ArchiveLayout {

  public static final String MANIFEST = "mailferry-manifest.jsonl";
  public static final String KEYWORDS = "dovecot-keywords";
  private static final Set<String> MAILDIR_DIRS = Set.of("cur", "new", "tmp");

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

  /** Every folder of the archive (a directory holding cur/), INBOX first when it exists. */
  public List<FolderPath> folders() {
    List<FolderPath> out = new ArrayList<>();
    if (!Files.isDirectory(root)) {
      return out;
    }
    try (Stream<Path> dirs = Files.walk(root)) {
      dirs.filter(d -> Files.isDirectory(d.resolve("cur")) && !MAILDIR_DIRS.contains(d.getFileName().toString()))
          .sorted()
          .forEach(d -> out.add(d.equals(root) ? FolderPath.INBOX : pathOf(root.relativize(d))));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the archive " + root, e);
    }
    return out;
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
    String s = segment.replace("%", "%25");
    if (s.startsWith(".")) {
      s = "%2E" + s.substring(1);
    }
    if (MAILDIR_DIRS.contains(s)) {
      s = String.format("%%%02X", (int) s.charAt(0)) + s.substring(1);
    }
    return s;
  }

  static String unescape(String stored) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < stored.length(); i++) {
      char c = stored.charAt(i);
      if (c == '%' && i + 2 < stored.length()) {
        out.append((char) Integer.parseInt(stored.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        out.append(c);
      }
    }
    return out.toString();
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

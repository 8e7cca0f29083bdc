package io.mailferry.archive;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * How archive readers open files: only regular files, and never through a symbolic link. A link
 * planted in an archive (cur/x → ~/.ssh/id_ed25519, a folder → /etc) would otherwise copy what it
 * points at into an mbox or a mailbox. The check before opening names what was found; opening with
 * O_NOFOLLOW holds even when the file is swapped for a link in between.
 */
public final class ArchiveFiles {

  /**
   * The largest file read as a message when --max-message-size does not say (export has no such
   * option): as for an IMAP message whose size the server did not say. An archive may come from
   * someone else, and a sparse file claims any size on no disk: read, one of a terabyte would fill
   * the spool or the mbox.
   */
  public static final long LARGEST_MESSAGE = 512L << 20;

  private ArchiveFiles() {}

  /** The attributes of the path itself (a link is not followed); null when nothing is there. */
  public static BasicFileAttributes attributes(Path path) throws IOException {
    try {
      return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (java.nio.file.NoSuchFileException gone) {
      return null;
    }
  }

  /** Null for a regular file; otherwise what the path is instead ("a symbolic link", …). */
  public static String notRegular(BasicFileAttributes attrs) {
    if (attrs.isRegularFile()) {
      return null;
    }
    if (attrs.isSymbolicLink()) {
      return "a symbolic link";
    }
    return attrs.isDirectory() ? "a directory" : "a device, pipe or socket";
  }

  /** A real directory, not a link to one. */
  public static boolean isDirectory(Path path) {
    return Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS);
  }

  /** Opens a regular file for reading without following a link in its last component. */
  public static InputStream open(Path file) throws IOException {
    return Files.newInputStream(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
  }

  /** At most {@code limit} bytes of a regular file (one more tells the caller it is longer). */
  public static byte[] readUpTo(Path file, int limit) throws IOException {
    try (InputStream in = open(file)) {
      return in.readNBytes(limit + 1);
    }
  }
}

package io.mailferry.archive;

import io.mailferry.mail.FolderPath;
import io.mailferry.mail.MailferryException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * export: one archive folder as an mboxrd file. Each message is a From_ line
 * ({@code From MAILER-DAEMON <asctime of INTERNALDATE, UTC>}), its bytes with every line that
 * matches {@code ^>*From } given one more '>', then one "\n". A reader that drops that last "\n"
 * and one '>' from each quoted line gets the exact bytes back, a final line without newline
 * included. The file is private (0600) and replaced whole, never left half-written.
 */
public final class MboxExport {

  private static final DateTimeFormatter ASCTIME =
      DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.ROOT).withZone(ZoneOffset.UTC);

  private MboxExport() {}

  /** Writes the folder to {@code mbox}; returns how many messages it holds. */
  public static int write(ArchiveLayout layout, FolderPath folder, Path mbox) {
    if (!layout.folders().contains(folder)) {
      throw new MailferryException.BadConfiguration("The archive " + layout.root() + " has no folder '" + folder
          + "'.");
    }
    Map<String, ManifestRecord> records = Manifest.read(layout.manifest());
    Map<String, Path> files = new TreeMap<>(ArchiveLayout.filesByBase(layout.folderDir(folder)));
    Path target = mbox.toAbsolutePath();
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    try {
      Files.deleteIfExists(tmp);
      Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp))) {
        for (var e : files.entrySet()) {
          ManifestRecord r = records.get(folder + "\u0000" + e.getKey());
          Instant date = r != null && r.internalDate() != null ? r.internalDate()
              : Files.getLastModifiedTime(e.getValue()).toInstant();
          out.write(("From MAILER-DAEMON " + ASCTIME.format(date) + "\n").getBytes(StandardCharsets.US_ASCII));
          try (InputStream in = Files.newInputStream(e.getValue())) {
            quote(in.readAllBytes(), out);
          }
          out.write('\n');
        }
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // the first failure is the one to report
      }
      throw new MailferryException.BadConfiguration("Cannot write " + target + ": " + e.getMessage() + ".", e);
    }
    return files.size();
  }

  /** The bytes with one more '>' before each line that starts with ">*From ". */
  static void quote(byte[] bytes, OutputStream out) throws IOException {
    int lineStart = 0;
    while (lineStart < bytes.length) {
      int end = lineStart;
      while (end < bytes.length && bytes[end] != '\n') {
        end++;
      }
      int next = Math.min(end + 1, bytes.length);
      if (isFromLine(bytes, lineStart, next)) {
        out.write('>');
      }
      out.write(bytes, lineStart, next - lineStart);
      lineStart = next;
    }
  }

  private static boolean isFromLine(byte[] b, int start, int end) {
    int i = start;
    while (i < end && b[i] == '>') {
      i++;
    }
    byte[] from = {'F', 'r', 'o', 'm', ' '};
    if (end - i < from.length) {
      return false;
    }
    for (int k = 0; k < from.length; k++) {
      if (b[i + k] != from[k]) {
        return false;
      }
    }
    return true;
  }
}

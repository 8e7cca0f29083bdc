package io.mailferry.archive;

import io.mailferry.mail.FolderPath;
import io.mailferry.mail.MailferryException;
import io.mailferry.mail.Printable;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * export: one archive folder as an mboxrd file. Each message is a From_ line ({@code From
 * MAILER-DAEMON <asctime of INTERNALDATE, UTC>}), its bytes with every line that matches {@code
 * ^>*From } given one more '>', then one "\n". A reader that drops that last "\n" and one '>' from
 * each quoted line gets the exact bytes back, a final line without newline included. The file is
 * private (0600) and replaced whole, never left half-written.
 */
public final class MboxExport {

  private static final DateTimeFormatter ASCTIME =
      DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.ROOT)
          .withZone(ZoneOffset.UTC);

  private MboxExport() {}

  /** What an export wrote: how many messages, and what it skipped or ignored (each named). */
  public record Exported(int messages, List<ArchiveProblem> problems) {
    /** Whether some file of the folder was left out (not only a manifest line). */
    public boolean skippedMail() {
      return problems.stream().anyMatch(ArchiveProblem::mailSkipped);
    }
  }

  /**
   * Writes the folder to {@code mbox}. Only the folder's regular files are read, never through a
   * link; anything else in cur/ or new/ is named in the result and left out.
   */
  public static Exported write(ArchiveLayout layout, FolderPath folder, Path mbox) {
    ArchiveLayout.Scan scan = layout.scan();
    Path dir = layout.folderDir(folder);
    if (!scan.folders().contains(folder)) {
      String why =
          scan.problems().stream()
              .filter(p -> p.where().equals(layout.relative(dir)))
              .map(p -> " (" + p + ")")
              .findFirst()
              .orElse("");
      throw new MailferryException.BadConfiguration(
          "The archive "
              + layout.root()
              + " has no folder '"
              + Printable.escape(folder.toString())
              + "'"
              + why
              + ".");
    }
    Manifest.Loaded manifest = Manifest.load(layout.manifest());
    Map<String, ManifestRecord> records = manifest.records();
    List<ArchiveProblem> problems = new ArrayList<>(manifest.problems());
    ArchiveLayout.MessageFiles listed = layout.messageFiles(dir);
    problems.addAll(listed.problems());
    Map<String, Path> files = new TreeMap<>(listed.byBase());
    Path target = mbox.toAbsolutePath();
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    int written = 0;
    try {
      Files.deleteIfExists(tmp);
      Files.createFile(
          tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp))) {
        for (var e : files.entrySet()) {
          InputStream in;
          Instant date;
          try {
            BasicFileAttributes attrs = ArchiveFiles.attributes(e.getValue());
            if (attrs != null && attrs.size() > ArchiveFiles.LARGEST_MESSAGE) {
              problems.add(
                  new ArchiveProblem(
                      layout.relative(e.getValue()),
                      attrs.size()
                          + " bytes, more than "
                          + "mailferry reads of one message ("
                          + ArchiveFiles.LARGEST_MESSAGE
                          + " bytes): skipped",
                      true));
              continue;
            }
            in =
                atMost(
                    new BufferedInputStream(ArchiveFiles.open(e.getValue()), 64 * 1024),
                    ArchiveFiles.LARGEST_MESSAGE,
                    layout.relative(e.getValue()));
            ManifestRecord r = records.get(folder + "\u0000" + e.getKey());
            date =
                r != null && r.internalDate() != null
                    ? r.internalDate()
                    : Files.getLastModifiedTime(e.getValue(), LinkOption.NOFOLLOW_LINKS)
                        .toInstant();
          } catch (IOException unreadable) {
            // swapped for a link, or gone, since the folder was listed
            problems.add(
                new ArchiveProblem(
                    layout.relative(e.getValue()),
                    "cannot be read (" + unreadable.getMessage() + "): skipped",
                    true));
            continue;
          }
          try (in) {
            out.write(
                ("From MAILER-DAEMON " + ASCTIME.format(date) + "\n")
                    .getBytes(StandardCharsets.US_ASCII));
            quote(in, out);
          }
          out.write('\n');
          written++;
        }
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // the first failure is the one to report
      }
      throw new MailferryException.BadConfiguration(
          "Cannot write " + target + ": " + e.getMessage() + ".", e);
    }
    return new Exported(written, problems);
  }

  /**
   * The file's bytes, failing the export past {@code limit}: the file grew since its size was read
   * (someone is writing it), and no byte beyond the bound is read.
   */
  private static InputStream atMost(InputStream in, long limit, String name) {
    return new FilterInputStream(in) {
      private long left = limit;

      @Override
      public int read() throws IOException {
        int c = super.read();
        count(c < 0 ? 0 : 1);
        return c;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, (int) Math.min(len, left + 1));
        count(Math.max(n, 0));
        return n;
      }

      private void count(int n) throws IOException {
        left -= n;
        if (left < 0) {
          throw new IOException(
              Printable.escape(name) + " grew past " + limit + " bytes while it was exported");
        }
      }
    };
  }

  private static final byte[] FROM = {'F', 'r', 'o', 'm', ' '};

  /**
   * Copies the bytes with one more '>' before each line that starts with ">*From ". Streamed, so a
   * message of any size is exported in constant memory: at a line start only the count of '>' and
   * how much of "From " matched so far are held.
   */
  static void quote(InputStream in, OutputStream out) throws IOException {
    boolean lineStart = true;
    long quotes = 0;
    int matched = 0;
    for (int c; (c = in.read()) >= 0; ) {
      if (lineStart) {
        if (matched == 0 && c == '>') {
          quotes++;
          continue;
        }
        if (c == FROM[matched]) {
          if (++matched == FROM.length) {
            out.write('>');
            pending(out, quotes, matched);
            lineStart = false;
            quotes = 0;
            matched = 0;
          }
          continue;
        }
        pending(out, quotes, matched);
        quotes = 0;
        matched = 0;
        lineStart = false;
      }
      out.write(c);
      lineStart = c == '\n';
    }
    pending(out, quotes, matched);
  }

  private static void pending(OutputStream out, long quotes, int matched) throws IOException {
    for (long i = 0; i < quotes; i++) {
      out.write('>');
    }
    out.write(FROM, 0, matched);
  }
}

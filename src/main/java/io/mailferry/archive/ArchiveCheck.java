package io.mailferry.archive;

import io.mailferry.mail.FolderPath;
import io.mailferry.mail.MailferryException;
import io.mailferry.mail.Printable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * verify: every message file of an archive hashed again and held against the manifest. A problem is
 * a file the manifest lists that is gone (missing), whose SHA-256 or size differs (corrupt), or a
 * message file the manifest does not list (unexpected).
 */
public final class ArchiveCheck {

  public enum Kind {
    MISSING,
    CORRUPT,
    UNEXPECTED
  }

  /**
   * One problem; {@code where} is the file (relative to the archive) or, when missing, folder/base,
   * and for an unexpected entry the reason it was skipped. Names others chose are printed escaped.
   */
  public record Problem(Kind kind, String where, long count) {
    public Problem(Kind kind, String where) {
      this(kind, where, 1);
    }

    @Override
    public String toString() {
      return kind.name().toLowerCase() + ": " + Printable.escape(where);
    }

    static Problem unexpected(ArchiveProblem p) {
      return new Problem(Kind.UNEXPECTED, p.where() + ": " + p.reason(), p.count());
    }
  }

  public record Result(int messages, int folders, List<Problem> problems) {
    /** How many of that kind, each line a problem stands for counted (see {@link ProblemLines}). */
    public long count(Kind kind) {
      return problems.stream().filter(p -> p.kind() == kind).mapToLong(Problem::count).sum();
    }
  }

  private ArchiveCheck() {}

  /** Opens an archive for reading, or fails in one sentence (exit 78) when DIR holds none. */
  public static ArchiveLayout open(Path dir) {
    ArchiveLayout layout = new ArchiveLayout(dir);
    if (!layout.isArchive()) {
      throw new MailferryException.BadConfiguration(
          layout.root() + " is not a mailferry archive: it has no " + ArchiveLayout.MANIFEST + ".");
    }
    return layout;
  }

  /**
   * Checks every folder on disk and every folder the manifest names. What the readers skip (a link,
   * a device, a folder name that does not decode, a manifest or keyword line that does not parse)
   * is unexpected, with its reason; no link is followed and no such file is read.
   */
  public static Result run(ArchiveLayout layout) {
    Manifest.Loaded manifest = Manifest.load(layout.manifest());
    Map<String, ManifestRecord> records = manifest.records();
    ArchiveLayout.Scan scan = layout.scan();
    List<Problem> problems = new ArrayList<>();
    manifest.problems().forEach(p -> problems.add(Problem.unexpected(p)));
    scan.problems().forEach(p -> problems.add(Problem.unexpected(p)));
    Set<FolderPath> folders = new LinkedHashSet<>(scan.folders());
    records.values().forEach(r -> folders.add(FolderPath.parse(r.folder())));
    int messages = 0;
    for (FolderPath folder : folders) {
      Path dir = layout.folderDir(folder);
      ArchiveLayout.MessageFiles listed = layout.messageFiles(dir);
      listed.problems().forEach(p -> problems.add(Problem.unexpected(p)));
      if (scan.folders().contains(folder)) {
        KeywordTable.load(dir)
            .problems(layout.relative(dir.resolve(ArchiveLayout.KEYWORDS)))
            .forEach(p -> problems.add(Problem.unexpected(p)));
      }
      Map<String, Path> files = new TreeMap<>(listed.byBase());
      for (ManifestRecord r : records.values()) {
        if (r.folder().equals(folder.toString()) && !files.containsKey(r.base())) {
          problems.add(new Problem(Kind.MISSING, folder + "/" + r.base()));
        }
      }
      for (var e : files.entrySet()) {
        messages++;
        ManifestRecord r = records.get(folder + "\u0000" + e.getKey());
        String where = layout.relative(e.getValue());
        if (r == null) {
          problems.add(new Problem(Kind.UNEXPECTED, where));
        } else {
          try {
            if (!r.sha256().equals(sha256(e.getValue()))) {
              problems.add(new Problem(Kind.CORRUPT, where));
            }
          } catch (IOException unreadable) {
            problems.add(
                new Problem(
                    Kind.CORRUPT, where + ": cannot be read (" + unreadable.getMessage() + ")"));
          }
        }
      }
    }
    return new Result(messages, folders.size(), problems);
  }

  /** The SHA-256 of a regular file, read without following a link. */
  public static String sha256(Path file) throws IOException {
    try (InputStream in =
        new DigestInputStream(ArchiveFiles.open(file), MessageDigest.getInstance("SHA-256"))) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
      return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}

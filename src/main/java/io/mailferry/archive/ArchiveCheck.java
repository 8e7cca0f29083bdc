package io.mailferry.archive;

import io.mailferry.mail.FolderPath;
import io.mailferry.mail.MailferryException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
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
 * verify: every message file of an archive hashed again and held against the manifest. A problem
 * is a file the manifest lists that is gone (missing), whose SHA-256 or size differs (corrupt), or
 * a message file the manifest does not list (unexpected).
 */
public final class ArchiveCheck {

  public enum Kind { MISSING, CORRUPT, UNEXPECTED }

  /** One problem; {@code where} is the file (relative to the archive) or, when missing, folder/base. */
  public record Problem(Kind kind, String where) {
    @Override
    public String toString() {
      return kind.name().toLowerCase() + ": " + where;
    }
  }

  public record Result(int messages, int folders, List<Problem> problems) {
    public long count(Kind kind) {
      return problems.stream().filter(p -> p.kind() == kind).count();
    }
  }

  private ArchiveCheck() {}

  /** Opens an archive for reading, or fails in one sentence (exit 78) when DIR holds none. */
  public static ArchiveLayout open(Path dir) {
    ArchiveLayout layout = new ArchiveLayout(dir);
    if (!layout.isArchive()) {
      throw new MailferryException.BadConfiguration(layout.root() + " is not a mailferry archive: it has no "
          + ArchiveLayout.MANIFEST + ".");
    }
    return layout;
  }

  public static Result run(ArchiveLayout layout) {
    Map<String, ManifestRecord> records = Manifest.read(layout.manifest());
    Set<FolderPath> folders = new LinkedHashSet<>(layout.folders());
    records.values().forEach(r -> folders.add(FolderPath.parse(r.folder())));
    List<Problem> problems = new ArrayList<>();
    int messages = 0;
    for (FolderPath folder : folders) {
      Map<String, Path> files = new TreeMap<>(ArchiveLayout.filesByBase(layout.folderDir(folder)));
      for (ManifestRecord r : records.values()) {
        if (r.folder().equals(folder.toString()) && !files.containsKey(r.base())) {
          problems.add(new Problem(Kind.MISSING, folder + "/" + r.base()));
        }
      }
      for (var e : files.entrySet()) {
        messages++;
        ManifestRecord r = records.get(folder + "\u0000" + e.getKey());
        String where = layout.root().relativize(e.getValue()).toString();
        if (r == null) {
          problems.add(new Problem(Kind.UNEXPECTED, where));
        } else if (!r.sha256().equals(sha256(e.getValue()))) {
          problems.add(new Problem(Kind.CORRUPT, where));
        }
      }
    }
    return new Result(messages, folders.size(), problems);
  }

  public static String sha256(Path file) {
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
      return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}

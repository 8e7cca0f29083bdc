package io.mailferry.archive;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * The archive's own record of its messages, so it can be verified and restored without the job
 * store: {@code mailferry-manifest.jsonl}, one JSON object per line, appended as messages are
 * written; the last line for a message wins. {@link #compact()} rewrites it with one line per
 * message (atomically). A line cut short by a crash is ignored on reading: the file it described is
 * found again by its name at the next backup. Read on first use only, and rewritten only when
 * something changed: a nightly backup of an unchanged mailbox opens no archive folder, so it
 * neither reads nor rewrites a manifest that grows with the archive. Thread-safe.
 */
public final class Manifest implements AutoCloseable {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** A record is a few hundred bytes; a longer line is not one (and is not held in memory). */
  static final int MAX_LINE = 1 << 20;

  private final Path file;

  /** Null until first needed. */
  private Map<String, ManifestRecord> records;

  /** A record was put or removed since the file was read: {@link #compact()} has work to do. */
  private boolean changed;

  private FileChannel out;

  private Manifest(Path file) {
    this.file = file;
  }

  public static Manifest open(ArchiveLayout layout) {
    return new Manifest(layout.manifest());
  }

  private Map<String, ManifestRecord> records() {
    if (records == null) {
      records = read(file);
    }
    return records;
  }

  /** The latest record of every message, in the order they were first written. */
  public static Map<String, ManifestRecord> read(Path file) {
    return load(file).records();
  }

  /**
   * The records of a manifest, and its lines that were ignored: the first each a problem naming the
   * line, the rest counted in one (see {@link ProblemLines}).
   */
  public record Loaded(Map<String, ManifestRecord> records, List<ArchiveProblem> problems) {}

  /**
   * Reads a manifest that may come from someone else: only a regular file, never through a link; a
   * line that is not a record (not JSON, no folder or base, a bad SHA-256, longer than {@link
   * #MAX_LINE} bytes) is a problem and the rest is read. A last line without its newline that does
   * not parse is the one a crash cut short: ignored without a word (the file it describes is found
   * by its name at the next backup).
   */
  public static Loaded load(Path file) {
    Map<String, ManifestRecord> records = new LinkedHashMap<>();
    ProblemLines problems = new ProblemLines();
    String name = file.getFileName().toString();
    try {
      BasicFileAttributes attrs = ArchiveFiles.attributes(file);
      if (attrs == null) {
        return new Loaded(records, problems.list(name));
      }
      String not = ArchiveFiles.notRegular(attrs);
      if (not != null) {
        problems.add(name, not + ", not the manifest: ignored");
        return new Loaded(records, problems.list(name));
      }
      try (InputStream in = new BufferedInputStream(ArchiveFiles.open(file), 64 * 1024)) {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        long number = 0;
        boolean more = true;
        while (more) {
          line.reset();
          boolean tooLong = false;
          int b;
          while ((b = in.read()) >= 0 && b != '\n') {
            if (line.size() < MAX_LINE) {
              line.write(b);
            } else {
              tooLong = true;
            }
          }
          more = b >= 0;
          number++;
          if (!more && line.size() == 0) {
            break;
          }
          String problem =
              tooLong ? "longer than " + MAX_LINE + " bytes" : parse(line.toByteArray(), records);
          if (problem != null && (more || tooLong)) {
            problems.add(name + " line " + number, problem + ": ignored");
          }
        }
      }
    } catch (IOException e) {
      problems.add(name, "cannot be read (" + e.getMessage() + "): ignored");
    }
    return new Loaded(records, problems.list(name));
  }

  /** Adds the line's record; null when it is one, else what is wrong with it. */
  private static String parse(byte[] bytes, Map<String, ManifestRecord> records) {
    String line;
    try {
      line = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      return "not UTF-8";
    }
    if (line.isBlank()) {
      return null;
    }
    ManifestRecord r;
    try {
      r = JSON.readValue(line, ManifestRecord.class);
    } catch (RuntimeException e) {
      return "not a manifest record (one JSON object)";
    }
    String wrong = wrongIn(r);
    if (wrong != null) {
      return wrong;
    }
    records.put(r.id(), r);
    return null;
  }

  /** What makes a parsed record unusable (a reader would trip over it), or null. */
  private static String wrongIn(ManifestRecord r) {
    if (r == null) {
      return "not a manifest record (one JSON object)";
    }
    if (r.folder() == null
        || r.folder().isBlank()) { // a NUL in a name is escaped in its directory (ArchiveLayout)
      return "no folder";
    }
    String base = r.base();
    if (base == null
        || base.isBlank()
        || base.equals(".")
        || base.equals("..")
        || base.indexOf('/') >= 0
        || base.indexOf('\0') >= 0) {
      return "no file base name";
    }
    if (r.sha256() == null || !r.sha256().matches("[0-9a-f]{64}")) {
      return "no SHA-256";
    }
    return null;
  }

  public synchronized List<ManifestRecord> inFolder(String folder) {
    List<ManifestRecord> out = new ArrayList<>();
    for (ManifestRecord r : records().values()) {
      if (r.folder().equals(folder)) {
        out.add(r);
      }
    }
    return out;
  }

  public synchronized ManifestRecord get(String folder, String base) {
    return records().get(folder + "\u0000" + base);
  }

  public synchronized Collection<ManifestRecord> all() {
    return List.copyOf(records().values());
  }

  public synchronized void put(ManifestRecord record) {
    records().put(record.id(), record);
    changed = true;
    try {
      if (out == null) {
        boolean created = !Files.exists(file);
        // Never appended through a link planted in place of the manifest.
        out =
            FileChannel.open(
                file,
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND,
                StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS);
        if (created) {
          ArchiveLayout.makePrivate(file);
        }
      }
      out.write(
          ByteBuffer.wrap(
              (JSON.writeValueAsString(record) + "\n").getBytes(StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the manifest " + file, e);
    }
  }

  public synchronized void remove(String folder, String base) {
    if (records().remove(folder + "\u0000" + base) != null) {
      changed = true;
    }
  }

  /**
   * Rewrites the file with one line per message (drops superseded and removed lines); nothing to do
   * when no record changed since it was read.
   */
  public synchronized void compact() {
    if (!changed) {
      return;
    }
    Path tmp = file.resolveSibling(ArchiveLayout.MANIFEST + ".tmp");
    try {
      flush();
      try (FileChannel w =
          FileChannel.open(
              tmp,
              StandardOpenOption.CREATE,
              StandardOpenOption.TRUNCATE_EXISTING,
              StandardOpenOption.WRITE)) {
        ArchiveLayout.makePrivate(tmp);
        for (ManifestRecord r : records().values()) {
          w.write(
              ByteBuffer.wrap(
                  (JSON.writeValueAsString(r) + "\n").getBytes(StandardCharsets.UTF_8)));
        }
        w.force(true);
      }
      if (out != null) {
        out.close();
        out = null;
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      changed = false;
    } catch (IOException e) {
      try {
        Files.deleteIfExists(tmp); // a half-written copy (a full disk) is not left behind
      } catch (IOException ignored) {
        // the rewrite's own failure is the one to report
      }
      throw new UncheckedIOException("cannot rewrite the manifest " + file, e);
    }
  }

  /** Makes what was appended durable (on a crash of the machine, not only of the process). */
  public synchronized void flush() throws IOException {
    if (out != null) {
      out.force(false);
    }
  }

  @Override
  public synchronized void close() {
    if (out == null) {
      return;
    }
    try (FileChannel closing = out) { // closed even when forcing it to disk fails
      out = null;
      closing.force(false);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close the manifest " + file, e);
    }
  }
}

package io.mailferry.archive;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * The archive's own record of its messages, so it can be verified and restored without the
 * job store: {@code mailferry-manifest.jsonl}, one JSON object per line, appended as messages
 * are written; the last line for a message wins. {@link #compact()} rewrites it with one line
 * per message (atomically). A line cut short by a crash is ignored on reading: the file it
 * described is found again by its name at the next backup. Read on first use only, and rewritten
 * only when something changed: a nightly backup of an unchanged mailbox opens no archive folder, so
 * it neither reads nor rewrites a manifest that grows with the archive. Thread-safe.
 */
public final class Manifest implements AutoCloseable {

  private static final JsonMapper JSON = JsonMapper.builder().build();

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
    Map<String, ManifestRecord> records = new LinkedHashMap<>();
    if (!Files.exists(file)) {
      return records;
    }
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        try {
          ManifestRecord r = JSON.readValue(line, ManifestRecord.class);
          records.put(r.id(), r);
        } catch (RuntimeException cutShort) {
          // the last line of a crashed run; its file is matched by name next time
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the manifest " + file, e);
    }
    return records;
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
        out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        if (created) {
          ArchiveLayout.makePrivate(file);
        }
      }
      out.write(ByteBuffer.wrap((JSON.writeValueAsString(record) + "\n").getBytes(StandardCharsets.UTF_8)));
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
   * Rewrites the file with one line per message (drops superseded and removed lines); nothing to
   * do when no record changed since it was read.
   */
  public synchronized void compact() {
    if (!changed) {
      return;
    }
    try {
      flush();
      Path tmp = file.resolveSibling(ArchiveLayout.MANIFEST + ".tmp");
      try (FileChannel w = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
          StandardOpenOption.WRITE)) {
        ArchiveLayout.makePrivate(tmp);
        for (ManifestRecord r : records().values()) {
          w.write(ByteBuffer.wrap((JSON.writeValueAsString(r) + "\n").getBytes(StandardCharsets.UTF_8)));
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
    try {
      flush();
      if (out != null) {
        out.close();
        out = null;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close the manifest " + file, e);
    }
  }
}

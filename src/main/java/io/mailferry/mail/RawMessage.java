package io.mailferry.mail;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A message's exact bytes, never parsed: in memory when small, in a private temporary file when
 * large, so heap use does not grow with message size. Close it to delete the file.
 */
public final class RawMessage implements AutoCloseable {

  private final byte[] bytes;
  private final int offset;
  private final Path file;
  private final long size;
  private final String sha256;

  private RawMessage(byte[] bytes, int offset, Path file, long size, String sha256) {
    this.bytes = bytes;
    this.offset = offset;
    this.file = file;
    this.size = size;
    this.sha256 = sha256;
  }

  public static RawMessage of(byte[] bytes) {
    return of(bytes, 0, bytes.length);
  }

  /**
   * The message is {@code length} bytes of {@code buffer} from {@code offset}, which it keeps
   * without copying (the buffer of an IMAP response: a copy would double the heap a batch of
   * fetched messages takes). Nobody may change those bytes afterwards.
   */
  public static RawMessage of(byte[] buffer, int offset, int length) {
    MessageDigest digest = digest();
    digest.update(buffer, offset, length);
    return new RawMessage(buffer, offset, null, length, HexFormat.of().formatHex(digest.digest()));
  }

  /** Collects a large message into a temporary file, hashing it on the way. */
  public static Spool spool(Path directory) {
    return new Spool(directory);
  }

  public long size() {
    return size;
  }

  public String sha256() {
    return sha256;
  }

  /** True when the bytes are in memory: the message may be kept past the handler's call. */
  public boolean inMemory() {
    return bytes != null;
  }

  public InputStream open() throws IOException {
    return bytes != null
        ? new ByteArrayInputStream(bytes, offset, (int) size)
        : Files.newInputStream(file);
  }

  public void writeTo(OutputStream out) throws IOException {
    if (bytes != null) {
      out.write(bytes, offset, (int) size);
    } else {
      try (InputStream in = Files.newInputStream(file)) {
        in.transferTo(out);
      }
    }
  }

  @Override
  public void close() {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Appends pieces of one message to a temp file (0600), then yields the RawMessage. */
  public static final class Spool implements AutoCloseable {
    private final Path file;
    private final FileChannel channel;
    private final MessageDigest digest = digest();
    // POP3 hands a message over line by line: one write(2) per line made a 30 MB message cost
    // hundreds of thousands of system calls.
    private final ByteBuffer pending = ByteBuffer.allocate(64 * 1024);
    private long size;
    private boolean done;

    private Spool(Path directory) {
      try {
        Files.createDirectories(directory);
        file = Files.createTempFile(directory, "spool-", ".eml");
        channel = FileChannel.open(file, StandardOpenOption.WRITE);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create a spool file in " + directory, e);
      }
    }

    public void write(byte[] buf, int off, int len) throws IOException {
      digest.update(buf, off, len);
      size += len;
      if (len > pending.remaining()) {
        drain();
      }
      if (len >= pending.capacity()) {
        writeFully(ByteBuffer.wrap(buf, off, len));
      } else {
        pending.put(buf, off, len);
      }
    }

    private void drain() throws IOException {
      pending.flip();
      writeFully(pending);
      pending.clear();
    }

    private void writeFully(ByteBuffer bytes) throws IOException {
      while (bytes.hasRemaining()) {
        channel.write(bytes);
      }
    }

    public long size() {
      return size;
    }

    public RawMessage finish() throws IOException {
      drain();
      channel.close();
      done = true;
      return new RawMessage(null, 0, file, size, HexFormat.of().formatHex(digest.digest()));
    }

    @Override
    public void close() throws IOException {
      if (!done) {
        channel.close();
        Files.deleteIfExists(file);
      }
    }
  }
}

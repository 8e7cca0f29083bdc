package io.mailferry.source.pop3;

import io.mailferry.mail.RawMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Collects one RETR answer into a RawMessage: in memory when the listed size is small, else in a
 * private spool file. A POP3 server must end a message with CRLF before the final "." even when the
 * stored message has no final line end; such a server lists the message's own size, so when exactly
 * two bytes more arrived and they are that CRLF, they are the server's, and are dropped. The last
 * two bytes are therefore held back until the end.
 *
 * <p>What it keeps is bounded by what LIST announced (see {@link MessageBound}): a message that
 * grows beyond is refused — nothing more is kept, its spool file is deleted at once — and the rest
 * of it is read and dropped so the session can go on with the next message, up to a drain bound
 * past which the server is taken to be broken ({@link Pop3Violation}).
 */
final class Pop3Body implements Pop3Input.Sink {

  static final long IN_MEMORY_LIMIT = 4L << 20;

  private final long listedSize;
  private final MessageBound bound;
  private final ByteArrayOutputStream memory;
  private RawMessage.Spool spool;
  private final byte[] held = new byte[2];
  private int heldCount;
  private long total;
  private boolean refused;

  Pop3Body(long listedSize, Path spoolDir) {
    this(listedSize, MessageBound.of(listedSize, 0), spoolDir);
  }

  Pop3Body(long listedSize, MessageBound bound, Path spoolDir) {
    this.listedSize = listedSize;
    this.bound = bound;
    boolean small = listedSize <= IN_MEMORY_LIMIT;
    this.memory = small ? new ByteArrayOutputStream((int) Math.max(listedSize + 2, 64)) : null;
    this.spool = small ? null : RawMessage.spool(spoolDir);
  }

  @Override
  public void write(byte[] buf, int off, int len) throws IOException {
    total += len;
    if (total > bound.keep()) {
      refuse();
      if (total > bound.drain()) {
        throw new Pop3Violation(
            "sent more than "
                + bound.drain()
                + " bytes for a message it listed as "
                + listedSize
                + " bytes");
      }
      return;
    }
    if (len >= 2) {
      emit(held, 0, heldCount);
      emit(buf, off, len - 2);
      held[0] = buf[off + len - 2];
      held[1] = buf[off + len - 1];
      heldCount = 2;
      return;
    }
    for (int i = off; i < off + len; i++) {
      if (heldCount == 2) {
        emit(held, 0, 1);
        held[0] = held[1];
        heldCount = 1;
      }
      held[heldCount++] = buf[i];
    }
  }

  /**
   * Whether the message grew beyond its bound: then it was not kept, and {@link #reason} says why.
   */
  boolean refused() {
    return refused;
  }

  /** Why the message was refused, for the summary. */
  String reason() {
    return bound.reason(listedSize);
  }

  RawMessage finish() throws IOException {
    if (refused) {
      throw new IllegalStateException("a refused message has no bytes");
    }
    boolean serverAddedLineEnd =
        total == listedSize + 2 && heldCount == 2 && held[0] == '\r' && held[1] == '\n';
    if (!serverAddedLineEnd && heldCount > 0) {
      emit(held, 0, heldCount);
    }
    return memory != null ? RawMessage.of(memory.toByteArray()) : spool.finish();
  }

  /** Deletes the spool file of a message that was not finished. */
  void discard() throws IOException {
    if (spool != null) {
      spool.close();
      spool = null;
    }
  }

  private void refuse() throws IOException {
    if (!refused) {
      refused = true;
      discard();
      if (memory != null) {
        memory.reset();
      }
    }
  }

  private void emit(byte[] buf, int off, int len) throws IOException {
    if (memory != null) {
      memory.write(buf, off, len);
    } else {
      spool.write(buf, off, len);
    }
  }
}

package io.mailferry.source.pop3;

import io.mailferry.mail.RawMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Collects one RETR answer into a RawMessage: in memory when the listed size is small, else in
 * a private spool file. A POP3 server must end a message with CRLF before the final "." even
 * when the stored message has no final line end; such a server lists the message's own size,
 * so when exactly two bytes more arrived and they are that CRLF, they are the server's, and are
 * dropped. The last two bytes are therefore held back until the end.
 */
final class Pop3Body implements Pop3Input.Sink {

  static final long IN_MEMORY_LIMIT = 4L << 20;

  private final long listedSize;
  private final ByteArrayOutputStream memory;
  private final RawMessage.Spool spool;
  private final byte[] held = new byte[2];
  private int heldCount;
  private long total;

  Pop3Body(long listedSize, Path spoolDir) {
    this.listedSize = listedSize;
    boolean small = listedSize <= IN_MEMORY_LIMIT;
    this.memory = small ? new ByteArrayOutputStream((int) Math.max(listedSize + 2, 64)) : null;
    this.spool = small ? null : RawMessage.spool(spoolDir);
  }

  @Override
  public void write(byte[] buf, int off, int len) throws IOException {
    total += len;
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

  RawMessage finish() throws IOException {
    boolean serverAddedLineEnd = total == listedSize + 2 && heldCount == 2 && held[0] == '\r' && held[1] == '\n';
    if (!serverAddedLineEnd && heldCount > 0) {
      emit(held, 0, heldCount);
    }
    return memory != null ? RawMessage.of(memory.toByteArray()) : spool.finish();
  }

  /** Deletes the spool file of a message that was not finished. */
  void discard() throws IOException {
    if (spool != null) {
      spool.close();
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

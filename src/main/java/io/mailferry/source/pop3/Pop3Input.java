package io.mailferry.source.pop3;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The server's side of a POP3 session: status lines, and multi-line answers with their dot-stuffing
 * undone byte for byte (RFC 1939 section 3). Lines are copied as they came, so a bare LF, a CR
 * inside a line or 8-bit bytes survive; only the leading dot of a stuffed line and the terminating
 * "." line are removed. Uses its own buffer and scans it for line ends, so a 30 MB message costs a
 * few thousand copies, not 30 million single-byte reads.
 */
final class Pop3Input {

  /** Where the bytes of a multi-line answer go. */
  interface Sink {
    void write(byte[] buf, int off, int len) throws IOException;
  }

  private final InputStream in;
  private final byte[] buf = new byte[64 * 1024];
  private int pos;
  private int limit;

  Pop3Input(InputStream in) {
    this.in = in;
  }

  /**
   * RFC 2449 allows a status line 512 octets; servers put longer words in it now and then, but
   * nothing needs more than this. Bounds the memory one answer can take.
   */
  static final int MAX_STATUS_LINE = 8 * 1024;

  /**
   * A line of LIST, UIDL or CAPA: a number and a size, or a UIDL of at most 70 characters (RFC
   * 1939).
   */
  static final int MAX_LISTING_LINE = 1024;

  /** One status line without its line end, decoded as UTF-8. */
  String readLine() throws IOException {
    return new String(readRawLine(MAX_STATUS_LINE, "a status line"), StandardCharsets.UTF_8);
  }

  /**
   * The next line of a multi-line answer of short text lines (LIST, UIDL, CAPA), un-stuffed and
   * without its line end, or null after its last line (the "." line has been read).
   */
  String readListingLine() throws IOException {
    byte[] line = readRawLine(MAX_LISTING_LINE, "a listing line");
    if (line.length > 0 && line[0] == '.') {
      return line.length == 1 ? null : new String(line, 1, line.length - 1, StandardCharsets.UTF_8);
    }
    return new String(line, StandardCharsets.UTF_8);
  }

  /** One line without its line end (LF or CRLF), refused beyond {@code max} bytes. */
  private byte[] readRawLine(int max, String what) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream(128);
    while (true) {
      if (pos == limit && !fill()) {
        throw new EOFException("the server closed the connection");
      }
      int nl = indexOfNewline(pos, limit);
      int end = nl >= 0 ? nl : limit;
      if (line.size() + (end - pos) > max + 1) { // + 1: the CR before the LF
        throw new Pop3Violation("sent " + what + " longer than " + max + " bytes");
      }
      line.write(buf, pos, end - pos);
      if (nl >= 0) {
        pos = nl + 1;
        byte[] bytes = line.toByteArray();
        int len =
            bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return len == bytes.length ? bytes : java.util.Arrays.copyOf(bytes, len);
      }
      pos = limit;
    }
  }

  /** Copies a multi-line answer to {@code sink}, un-stuffed, up to and without the "." line. */
  void readBody(Sink sink) throws IOException {
    boolean lineStart = true;
    while (true) {
      if (pos == limit && !fill()) {
        throw new EOFException("the server closed the connection in the middle of a message");
      }
      if (lineStart) {
        if (buf[pos] == '.') {
          ensure(3);
          if (at(1) == '\n' || (at(1) == '\r' && at(2) == '\n')) {
            pos += at(1) == '\n' ? 2 : 3;
            return;
          }
          pos++; // the stuffed dot
          if (pos == limit && !fill()) {
            throw new EOFException("the server closed the connection in the middle of a message");
          }
        }
        lineStart = false;
      }
      int nl = indexOfNewline(pos, limit);
      int end = nl < 0 ? limit : nl + 1;
      sink.write(buf, pos, end - pos);
      pos = end;
      lineStart = nl >= 0;
    }
  }

  /** The byte {@code offset} places after the current one, or -1 at the end of the stream. */
  private int at(int offset) {
    return pos + offset < limit ? buf[pos + offset] : -1;
  }

  /** Makes at least {@code n} bytes available from {@code pos}, unless the stream ends first. */
  private void ensure(int n) throws IOException {
    if (limit - pos >= n) {
      return;
    }
    System.arraycopy(buf, pos, buf, 0, limit - pos);
    limit -= pos;
    pos = 0;
    while (limit < n) {
      int read = in.read(buf, limit, buf.length - limit);
      if (read < 0) {
        return;
      }
      limit += read;
    }
  }

  private boolean fill() throws IOException {
    int read = in.read(buf, 0, buf.length);
    if (read <= 0) {
      return false;
    }
    pos = 0;
    limit = read;
    return true;
  }

  private int indexOfNewline(int from, int to) {
    for (int i = from; i < to; i++) {
      if (buf[i] == '\n') {
        return i;
      }
    }
    return -1;
  }
}

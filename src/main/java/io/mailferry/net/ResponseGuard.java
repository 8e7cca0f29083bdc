package io.mailferry.net;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * Follows the framing of IMAP responses (CRLF lines, {n} literals, RFC 9051 4.3) in the bytes a
 * server sends, below Angus Mail's reader. Angus keeps each response whole in memory, growing its
 * buffer to whatever a literal announces, and keeps every response of a command until the command
 * ends: so the bounds are enforced here, before a byte reaches it.
 *
 * <ul>
 *   <li>a line outside literals is at most {@link #MAX_LINE};
 *   <li>a literal, the literals of one command together, and the responses to one command are at
 *       most what the thread's {@link Expectation} allows (a body fetch says what it expects);
 *   <li>a command's answer must arrive by its deadline: the silence --timeout allows plus the time
 *       its bytes need at {@link #FLOOR_RATE}, so a server that dribbles is as lost as a silent
 *       one.
 * </ul>
 *
 * A server past a bound gets {@link Breach} (the connection layer maps it to exit 76); past the
 * deadline {@link TooSlow}, a timeout. Either leaves the connection unusable, as it should.
 */
public final class ResponseGuard extends FilterInputStream {

  static final int MAX_LINE = 1 << 20;

  /** Bytes a second below which a server counts as gone (a modem carries 7 KB/s). */
  static final long FLOOR_RATE = 1024;

  /**
   * What the responses to the commands of this thread may hold.
   *
   * @param literals what was expected of a literal, in words ("" when nothing in particular)
   */
  public record Expectation(
      long maxLiteral, long maxLiteralBytes, long maxResponses, String responses, String literals) {
    /** For a command nobody described: no response holds a message larger than this. */
    static final Expectation DEFAULT =
        new Expectation(64L << 20, 256L << 20, 500_000, "responses to one command", "");
  }

  /** A scope of {@link #expect}; closing it restores what was expected before. */
  public interface Scope extends AutoCloseable {
    @Override
    void close();
  }

  private static final ThreadLocal<Expectation> EXPECTED = new ThreadLocal<>();

  /**
   * Until the scope is closed, this thread's commands expect at most {@code e}. Angus reads a
   * command's responses on the thread that sent it, so a thread-local reaches the right guard.
   */
  public static Scope expect(Expectation e) {
    Expectation before = EXPECTED.get();
    EXPECTED.set(e);
    return () -> EXPECTED.set(before);
  }

  /** The server broke the protocol: a response beyond every bound. */
  public static class Breach extends IOException {
    private static final long serialVersionUID = 1L;

    public Breach(String message) {
      super(message);
    }
  }

  /**
   * A literal beyond what the command expected (a body larger than its RFC822.SIZE said): the
   * connection is as broken as for any breach, but a caller that knows which messages it asked for
   * can ask again for each alone, each held to its own size.
   */
  static final class Oversized extends Breach {
    private static final long serialVersionUID = 1L;

    Oversized(String message) {
      super(message);
    }
  }

  /** The server's answer did not arrive by its deadline. */
  static final class TooSlow extends SocketTimeoutException {
    private static final long serialVersionUID = 1L;

    TooSlow(String message) {
      super(message);
    }
  }

  private final long silenceNanos;
  private boolean armed = true;
  private IOException broken;

  // framing
  private long literalLeft;
  private long lineLength;

  /** The last bytes of the response, where a literal's {n} is looked for (as Angus looks). */
  private final byte[] tail = new byte[24];

  private int tailLength;

  // per command
  private long responses;
  private long literalBytes;
  private long commandStart = System.nanoTime();
  private long received;

  ResponseGuard(InputStream in, Duration silence) {
    super(in);
    this.silenceNanos = silence.toNanos();
  }

  /** TLS now runs over this stream: its bytes are no longer IMAP, a guard above TLS takes over. */
  void disarm() {
    armed = false;
  }

  /** The client sent a command (or a part of one): its answer's clock and counts start now. */
  void commandSent() {
    commandStart = System.nanoTime();
    received = 0;
    responses = 0;
    literalBytes = 0;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] buf, int off, int len) throws IOException {
    if (!armed) {
      return super.read(buf, off, len);
    }
    if (broken != null) {
      throw broken;
    }
    int n = super.read(buf, off, len);
    if (n > 0) {
      try {
        received += n;
        follow(buf, off, n);
        checkDeadline();
      } catch (IOException e) {
        broken = e;
        throw e;
      }
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    return read(new byte[(int) Math.min(n, 8192)], 0, (int) Math.min(n, 8192));
  }

  private void checkDeadline() throws TooSlow {
    long allowed = silenceNanos + (received + literalLeft) * 1_000_000_000L / FLOOR_RATE;
    if (System.nanoTime() - commandStart > allowed) {
      throw new TooSlow(
          "it sent too slowly: "
              + received
              + " bytes in "
              + (System.nanoTime() - commandStart) / 1_000_000_000L
              + " s");
    }
  }

  private void follow(byte[] buf, int off, int n) throws Breach {
    for (int i = off, end = off + n; i < end; ) {
      if (literalLeft > 0) {
        int take = (int) Math.min(literalLeft, end - i);
        for (int j = i + Math.max(0, take - tail.length); j < i + take; j++) {
          remember(buf[j]);
        }
        literalLeft -= take;
        i += take;
        continue;
      }
      byte b = buf[i++];
      remember(b);
      if (++lineLength > MAX_LINE) {
        throw new Breach("it sent a response line longer than 1 MiB");
      }
      if (b == '\n' && tailLength >= 2 && tail[tailLength - 2] == '\r') {
        endOfLine();
      }
    }
  }

  private void remember(byte b) {
    if (tailLength == tail.length) {
      System.arraycopy(tail, 1, tail, 0, tail.length - 1);
      tailLength--;
    }
    tail[tailLength++] = b;
  }

  /** A CRLF: either a literal follows (the line ends with {n}) or the response ends. */
  private void endOfLine() throws Breach {
    lineLength = 0;
    long literal = announcedLiteral();
    if (literal > 0) {
      Expectation e = expectation();
      literalBytes += literal;
      if (literal > e.maxLiteral()) {
        throw new Oversized(
            "it announced a literal of "
                + literal
                + " bytes where at most "
                + e.maxLiteral()
                + " were expected"
                + e.literals());
      }
      if (literalBytes > e.maxLiteralBytes()) {
        throw new Oversized(
            "its answer to one command held more than "
                + e.maxLiteralBytes()
                + " bytes of literals where no more were expected"
                + e.literals());
      }
      literalLeft = literal;
      return;
    }
    if (literal < 0) {
      tailLength = 0;
      if (++responses > expectation().maxResponses()) {
        throw new Breach(
            "it sent more than " + expectation().maxResponses() + " " + expectation().responses());
      }
    }
  }

  /**
   * The n of a line ending "{n}" CRLF; -1 when the line ends the response (as Angus reads it: the
   * digits after the last '{', a sign allowed, anything else is no literal).
   */
  private long announcedLiteral() throws Breach {
    int close = tailLength - 3;
    if (close < 1 || tail[close] != '}') {
      return -1;
    }
    int open = close - 1;
    while (open >= 0 && tail[open] != '{') {
      if ((tail[open] < '0' || tail[open] > '9') && tail[open] != '-') {
        return -1;
      }
      open--;
    }
    if (open < 0) {
      // more digits than a literal's length can have: Angus might still read them as one
      throw new Breach(
          "it announced a literal with a length of more than " + (tail.length - 4) + " digits");
    }
    long n = 0;
    for (int i = open + 1; i < close; i++) {
      if (tail[i] == '-') {
        // a negative count: Angus reads no literal but goes on with the response, as do we
        return i == open + 1 && close > open + 2 ? 0 : -1;
      }
      n = n * 10 + (tail[i] - '0');
    }
    return close == open + 1 ? -1 : n;
  }

  private static Expectation expectation() {
    Expectation e = EXPECTED.get();
    return e == null ? Expectation.DEFAULT : e;
  }
}

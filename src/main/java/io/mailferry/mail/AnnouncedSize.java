package io.mailferry.mail;

/**
 * How many bytes of a message a source may send, given the size it announced for it (IMAP's
 * RFC822.SIZE, POP3's LIST). Announced sizes are not always exact (a server may count bare LF line
 * ends and then send CRLF), hence a margin: an eighth of the size and 64 KiB. Past it the server is
 * not believed: reading on would let one lying answer fill the heap or the spool.
 */
public final class AnnouncedSize {

  public static final long MARGIN = 64 * 1024;

  private AnnouncedSize() {}

  /** At most this many bytes for a message announced as {@code announced} bytes. */
  public static long allowed(long announced) {
    return saturatedAdd(saturatedAdd(Math.max(0, announced), Math.max(0, announced) / 8), MARGIN);
  }

  /**
   * As {@link #allowed(long)}, and never above {@code maxMessageSize} when that is set (above 0).
   */
  public static long allowed(long announced, long maxMessageSize) {
    long allowed = allowed(announced);
    return maxMessageSize > 0 ? Math.min(allowed, maxMessageSize) : allowed;
  }

  public static long saturatedAdd(long a, long b) {
    long sum = a + b;
    return sum < 0 ? Long.MAX_VALUE : sum;
  }
}

package io.mailferry.source.pop3;

/**
 * How many bytes of one message (or its TOP header section) mailferry keeps, and reads at all,
 * given the size LIST announced. LIST sizes are not always exact (a server may count bare LF
 * line ends and send CRLF), hence a margin: an eighth of the size and 64 KiB. --max-message-size
 * lowers what is kept. Past the drain bound the server is taken to be broken.
 *
 * @param keep at most this many bytes are kept; a larger message is refused
 * @param drain at most this many bytes are read; more is a protocol violation
 * @param maxMessageSize --max-message-size, or 0 when not set
 */
record MessageBound(long keep, long drain, long maxMessageSize) {

  static final long MARGIN = 64 * 1024;
  /** Beyond what is kept, how much of a refused message is read and dropped to keep the session. */
  static final long DRAIN = 64L << 20;

  static MessageBound of(long listedSize, long maxMessageSize) {
    long announced = saturatedAdd(saturatedAdd(listedSize, listedSize / 8), MARGIN);
    long keep = maxMessageSize > 0 ? Math.min(announced, maxMessageSize) : announced;
    return new MessageBound(keep, saturatedAdd(announced, DRAIN), maxMessageSize);
  }

  /** Why a message beyond {@link #keep} was refused. */
  String reason(long listedSize) {
    return maxMessageSize > 0 && keep == maxMessageSize
        ? "larger than --max-message-size (" + maxMessageSize + " bytes) though the server listed it as "
            + listedSize + " bytes: not copied"
        : "the server sent more than " + keep + " bytes for a message it listed as " + listedSize
            + " bytes: not copied";
  }

  private static long saturatedAdd(long a, long b) {
    long sum = a + b;
    return sum < 0 ? Long.MAX_VALUE : sum;
  }
}

package io.mailferry.source.pop3;

import static io.mailferry.mail.AnnouncedSize.saturatedAdd;

import io.mailferry.mail.AnnouncedSize;

/**
 * How many bytes of one message (or its TOP header section) mailferry keeps, and reads at all,
 * given the size LIST announced, with {@link AnnouncedSize}'s margin. --max-message-size lowers
 * what is kept. Past the drain bound the server is taken to be broken.
 *
 * @param keep at most this many bytes are kept; a larger message is refused
 * @param drain at most this many bytes are read; more is a protocol violation
 * @param maxMessageSize --max-message-size, or 0 when not set
 */
record MessageBound(long keep, long drain, long maxMessageSize) {

  /** Beyond what is kept, how much of a refused message is read and dropped to keep the session. */
  static final long DRAIN = 64L << 20;

  static MessageBound of(long listedSize, long maxMessageSize) {
    long keep = AnnouncedSize.allowed(listedSize, maxMessageSize);
    return new MessageBound(
        keep, saturatedAdd(AnnouncedSize.allowed(listedSize), DRAIN), maxMessageSize);
  }

  /** Why a message beyond {@link #keep} was refused. */
  String reason(long listedSize) {
    return maxMessageSize > 0 && keep == maxMessageSize
        ? "larger than --max-message-size ("
            + maxMessageSize
            + " bytes) though the server listed it as "
            + listedSize
            + " bytes: not copied"
        : "the server sent more than "
            + keep
            + " bytes for a message it listed as "
            + listedSize
            + " bytes: not copied";
  }
}

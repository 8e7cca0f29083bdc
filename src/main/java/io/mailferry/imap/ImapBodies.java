package io.mailferry.imap;

import io.mailferry.mail.AnnouncedSize;
import io.mailferry.net.MailSessions;
import io.mailferry.net.ResponseGuard;
import jakarta.mail.MessagingException;
import org.eclipse.angus.mail.iap.ByteArray;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.protocol.BODY;

/**
 * Streams one message's exact bytes in partial fetches of {@link MailSessions#FETCH_SIZE}
 * (BODY.PEEK[]&lt;offset.size&gt;, RFC 9051 6.4.5), so a 200 MB message never sits in memory.
 */
public final class ImapBodies {

  private ImapBodies() {}

  @FunctionalInterface
  public interface Sink {
    void write(byte[] buf, int off, int len) throws java.io.IOException;
  }

  /** A message went on beyond what was allowed: the caller fails that message, the others go on. */
  public static final class TooLong extends Exception {
    private static final long serialVersionUID = 1L;

    public TooLong(String message) {
      super(message);
    }
  }

  /**
   * @param limit at most this many bytes reach the sink (see {@link AnnouncedSize}); a server that
   *     sends more, partial fetch after partial fetch, is not followed further
   */
  public static void stream(IMAPFolder folder, int msgno, long limit, Sink sink)
      throws MessagingException, TooLong {
    long offset = 0;
    // A partial answer holds at most what was asked (RFC 9051 6.4.5): never buffer more of it.
    var onePiece =
        new ResponseGuard.Expectation(
            MailSessions.FETCH_SIZE,
            MailSessions.FETCH_SIZE + AnnouncedSize.MARGIN,
            10_000,
            "responses to one partial FETCH",
            " for a piece of " + MailSessions.FETCH_SIZE + " bytes");
    while (true) {
      if (offset > Integer.MAX_VALUE - MailSessions.FETCH_SIZE) {
        throw new TooLong(
            "the server sent more than "
                + offset
                + " bytes, more than a partial FETCH can address");
      }
      final int start = (int) offset;
      BODY part;
      ResponseGuard.Scope scope = ResponseGuard.expect(onePiece);
      try (scope) {
        part =
            (BODY) folder.doCommand(p -> p.peekBody(msgno, null, start, MailSessions.FETCH_SIZE));
      }
      ByteArray data = part == null ? null : part.getByteArray();
      if (data == null || data.getCount() == 0) {
        return;
      }
      if (offset + data.getCount() > limit) {
        throw new TooLong("the server sent more than " + limit + " bytes");
      }
      try {
        sink.write(data.getBytes(), data.getStart(), data.getCount());
      } catch (java.io.IOException e) {
        throw new MessagingException("cannot keep a large message's bytes", e);
      }
      offset += data.getCount();
      if (data.getCount() < MailSessions.FETCH_SIZE) {
        return;
      }
    }
  }
}

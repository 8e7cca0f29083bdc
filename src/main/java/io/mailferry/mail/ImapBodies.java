package io.mailferry.mail;

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

  public static void stream(IMAPFolder folder, int msgno, Sink sink) throws MessagingException {
    long offset = 0;
    while (true) {
      final int start = Math.toIntExact(offset);
      BODY part = (BODY) folder.doCommand(p -> p.peekBody(msgno, null, start, MailSessions.FETCH_SIZE));
      ByteArray data = part == null ? null : part.getByteArray();
      if (data == null || data.getCount() == 0) {
        return;
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

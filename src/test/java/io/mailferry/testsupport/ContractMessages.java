package io.mailferry.testsupport;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;

/**
 * Messages for the source and sink contracts: CRLF lines, a Date: equal to the INTERNALDATE given.
 */
public final class ContractMessages {

  /** Above every implementation's in-memory limit (IMAP's is 4 MiB): such a message is spooled. */
  public static final int LARGE = (4 << 20) + 300_000;

  private ContractMessages() {}

  /**
   * @param messageId with its angle brackets, or null for a message without one
   * @param bodyBytes how many body bytes (lines of 76 letters and CRLF)
   */
  public static byte[] message(String messageId, String subject, Instant date, int bodyBytes) {
    String header =
        "From: Alice <alice@example.org>\r\nTo: bob@example.org\r\nSubject: "
            + subject
            + "\r\n"
            + "Date: "
            + DateTimeFormatter.RFC_1123_DATE_TIME.format(date.atOffset(ZoneOffset.UTC))
            + "\r\n"
            + (messageId == null ? "" : "Message-ID: " + messageId + "\r\n")
            + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n";
    byte[] head = header.getBytes(StandardCharsets.UTF_8);
    byte[] raw = Arrays.copyOf(head, head.length + bodyBytes);
    // Lines of 76 letters and CRLF; the last one shorter (a single letter without CRLF when one
    // byte is left).
    for (int i = 0; i < bodyBytes; i++) {
      int column = i % 78;
      boolean lastLine = bodyBytes - (i - column) < 78;
      int lineLength = lastLine ? bodyBytes - (i - column) : 78;
      boolean eol = lineLength >= 2 && column >= lineLength - 2;
      raw[head.length + i] =
          (byte) (!eol ? 'a' + (i / 78 + column) % 26 : column == lineLength - 2 ? '\r' : '\n');
    }
    return raw;
  }
}

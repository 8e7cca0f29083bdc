package io.mailferry.mail;

import jakarta.mail.internet.MailDateFormat;
import java.nio.charset.StandardCharsets;
import java.text.ParsePosition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;

/**
 * The few header fields mailferry reads from raw bytes (a POP3 source has no ENVELOPE or
 * INTERNALDATE): Message-ID, and the delivery date from Received: or Date:. Lenient: a header it
 * cannot read counts as absent, never as an error.
 */
public final class MessageHeaders {

  private final List<String[]> fields;

  private MessageHeaders(List<String[]> fields) {
    this.fields = fields;
  }

  /** Parses the header section at the start of {@code raw} (it may hold the body too). */
  public static MessageHeaders parse(byte[] raw) {
    // ISO-8859-1 maps every byte to one char, so 8-bit junk cannot break the split.
    String text = new String(raw, StandardCharsets.ISO_8859_1);
    List<String[]> fields = new ArrayList<>();
    StringBuilder current = null;
    for (String line : text.split("\r?\n", -1)) {
      if (line.isEmpty()) {
        break; // the blank line that ends the header section
      }
      if ((line.charAt(0) == ' ' || line.charAt(0) == '\t') && current != null) {
        current.append(' ').append(line.strip()); // a folded continuation
        continue;
      }
      add(fields, current);
      current = new StringBuilder(line);
    }
    add(fields, current);
    return new MessageHeaders(fields);
  }

  private static void add(List<String[]> fields, StringBuilder field) {
    if (field == null) {
      return;
    }
    int colon = field.indexOf(":");
    if (colon > 0) {
      fields.add(
          new String[] {
            field.substring(0, colon).strip().toLowerCase(Locale.ROOT),
            field.substring(colon + 1).strip()
          });
    }
  }

  public String messageId() {
    for (String[] f : fields) {
      if (f[0].equals("message-id")) {
        return normalizeMessageId(f[1]);
      }
    }
    return null;
  }

  /**
   * When the message reached the mailbox: the newest date among the Received: fields (each ends
   * with "; date"), else the Date: field, else null.
   */
  public Instant deliveryDate() {
    Instant newest = null;
    for (String[] f : fields) {
      if (f[0].equals("received")) {
        int semicolon = f[1].lastIndexOf(';');
        Instant date = semicolon < 0 ? null : date(f[1].substring(semicolon + 1));
        if (date != null && (newest == null || date.isAfter(newest))) {
          newest = date;
        }
      }
    }
    if (newest != null) {
      return newest;
    }
    for (String[] f : fields) {
      if (f[0].equals("date")) {
        return date(f[1]);
      }
    }
    return null;
  }

  private static Instant date(String text) {
    Date parsed = new MailDateFormat().parse(text.strip(), new ParsePosition(0));
    return parsed == null ? null : parsed.toInstant();
  }

  /** The Message-ID as IMAP servers give it to us: unfolded, whitespace collapsed, trimmed. */
  public static String normalizeMessageId(String value) {
    if (value == null) {
      return null;
    }
    String id = value.replaceAll("\\s+", " ").strip();
    return id.isEmpty() ? null : id.length() > 998 ? id.substring(0, 998) : id;
  }
}

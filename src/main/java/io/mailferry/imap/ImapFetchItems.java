package io.mailferry.imap;

import io.mailferry.mail.MessageFlags;
import io.mailferry.mail.Printable;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The items of one untagged FETCH response ({@code * n FETCH (...)}), read from its raw bytes as
 * the server sent them (literals inline, as {@code {n}CRLF} and n bytes), item by item.
 *
 * <p>Why not Angus's FetchResponse: it throws on the first item it cannot read, and its caller then
 * drops the whole response with a log line, so the message vanished from the listing. It also reads
 * any system flag by its first letter ({@code \Foo} became {@code \Flagged}) and took the IMAP date
 * {@code 01-Jan-0000} for 2000-01-01. Here each item is checked on its own: what could be read is
 * kept, and {@link #problem()} says in words what could not.
 */
public final class ImapFetchItems {

  /** A value that is absent or could not be read. */
  public static final long UNKNOWN = -1;

  private static final String[] MONTHS = {
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"
  };
  private static final int MAX_QUOTED_TEXT = 200;

  private final byte[] buf;
  private final int end;
  private int pos;

  /** The message sequence number, or {@link #UNKNOWN}. */
  public long number = UNKNOWN;

  public long uid = UNKNOWN;
  public long size = UNKNOWN;

  /** What the server sent for RFC822.SIZE when it was no size (e.g. "-5"), else null. */
  public String sizeText;

  /** Null when absent or unreadable; then {@link #internalDateText} holds what the server sent. */
  public Instant internalDate;

  public String internalDateText;
  public boolean hasInternalDate;

  /** Null when absent or unreadable. System flags with their backslash, keywords as they are. */
  public List<String> flags;

  /** Flags the server sent that are neither a system flag nor a valid keyword. */
  public final List<String> droppedFlags = new ArrayList<>();

  /**
   * The BODY[...] item's bytes: offset into {@link #buffer()}, and length; -1 when absent or NIL.
   */
  public int bodyStart = -1;

  public int bodyLength = -1;
  public String bodySection;
  private String problem;

  private ImapFetchItems(byte[] buf, int start, int end) {
    this.buf = buf;
    this.pos = start;
    this.end = end;
  }

  /**
   * Reads {@code buf[start, end)}, one response line without its final CRLF. Never throws: a
   * response that breaks the syntax keeps the items read before the break.
   */
  public static ImapFetchItems read(byte[] buf, int start, int end) {
    if (buf == null || start < 0 || end > buf.length || start > end) {
      ImapFetchItems none = new ImapFetchItems(new byte[0], 0, 0);
      none.problem = "no response";
      return none;
    }
    ImapFetchItems items = new ImapFetchItems(buf, start, end);
    try {
      items.readResponse();
    } catch (Unreadable e) {
      items.problem = e.getMessage() + " at byte " + (items.pos - start);
    }
    return items;
  }

  public byte[] buffer() {
    return buf;
  }

  /** What could not be read, in words, or null when the whole response was read. */
  public String problem() {
    return problem;
  }

  private void readResponse() {
    expect('*');
    expect(' ');
    number = readNumber("a message number");
    expect(' ');
    String key = readAtom();
    if (!key.equalsIgnoreCase("FETCH")) {
      throw new Unreadable("not a FETCH response");
    }
    expect(' ');
    expect('(');
    if (peek() == ')') {
      pos++;
      return;
    }
    while (true) {
      readItem();
      int c = next("')' or a space after an item");
      if (c == ')') {
        break;
      }
      if (c != ' ') {
        throw new Unreadable("expected ')' or a space after an item, found " + shown(c));
      }
    }
    if (pos != end) {
      throw new Unreadable("bytes after the closing ')'");
    }
  }

  private void readItem() {
    String name = readAtom().toUpperCase(Locale.ROOT);
    switch (name) {
      case "UID" -> {
        expect(' ');
        long v = readNumber("a UID");
        if (v < 1 || v > 0xFFFFFFFFL) {
          throw new Unreadable("UID " + v + " out of range");
        }
        uid = v;
      }
      case "RFC822.SIZE" -> {
        expect(' ');
        if (peek() == '-') {
          // A token, but no size: the other items are still read.
          sizeText = readAtomLike();
        } else {
          size = readNumber("an RFC822.SIZE");
        }
      }
      case "INTERNALDATE" -> {
        expect(' ');
        hasInternalDate = true;
        String text = readNString();
        internalDateText = text;
        internalDate = text == null ? null : internetDate(text);
      }
      case "FLAGS" -> {
        expect(' ');
        flags = readFlags();
      }
      case "BODY", "BINARY", "RFC822", "RFC822.HEADER", "RFC822.TEXT", "BODY.PEEK" ->
          readBody(name);
      default -> {
        expect(' ');
        skipValue(0);
      }
    }
  }

  private void readBody(String name) {
    StringBuilder section = new StringBuilder(name);
    if (peek() == '[') {
      int depth = 0;
      while (true) {
        int c = next("the end of a body section");
        section.append((char) c);
        if (c == '(') depth++;
        else if (c == ')') depth--;
        else if (c == ']' && depth <= 0) break;
        if (section.length() > 1000) {
          throw new Unreadable("a body section over 1000 bytes");
        }
      }
      if (peek() == '<') {
        while (next("the end of a partial origin") != '>') {
          // <origin>: skipped
        }
      }
    }
    expect(' ');
    bodySection = section.toString();
    if (peekIsLiteral()) {
      int length = readLiteralLength();
      bodyStart = pos;
      bodyLength = length;
      pos += length;
    } else if (peek() == '"') {
      int s = pos + 1;
      readQuoted(Integer.MAX_VALUE);
      bodyStart = s;
      bodyLength = pos - 1 - s; // without escapes: a quoted body is taken as sent
    } else {
      String atom = readAtomLike();
      if (!atom.equalsIgnoreCase("NIL")) {
        throw new Unreadable(name + " value is neither a string nor NIL");
      }
    }
  }

  private List<String> readFlags() {
    expect('(');
    List<String> out = new ArrayList<>();
    while (true) {
      int c = peek();
      if (c == ')') {
        pos++;
        return out;
      }
      if (c == ' ') {
        pos++;
        continue;
      }
      if (c < 0) {
        throw new Unreadable("the flag list does not end");
      }
      String flag = readFlagAtom();
      String known = MessageFlags.known(flag);
      if (known != null) {
        out.add(known);
      } else if (!flag.equalsIgnoreCase(MessageFlags.RECENT)) {
        droppedFlags.add(flag); // \Recent is session state and never copied; anything else is named
      }
    }
  }

  private String readFlagAtom() {
    int s = pos;
    if (peek() == '\\') {
      pos++;
    }
    while (pos < end && buf[pos] != ' ' && buf[pos] != ')' && buf[pos] != '(') {
      pos++;
    }
    if (pos == s) {
      throw new Unreadable("an empty flag");
    }
    return new String(buf, s, pos - s, StandardCharsets.ISO_8859_1);
  }

  /** Skips one value of an item mailferry does not read (MODSEQ, X-GM-LABELS, ...). */
  private void skipValue(int depth) {
    if (depth > 50) {
      throw new Unreadable("lists nested too deep");
    }
    int c = peek();
    if (c == '(') {
      pos++;
      while (peek() != ')') {
        if (peek() == ' ') {
          pos++;
        } else {
          skipValue(depth + 1);
        }
      }
      pos++;
    } else if (c == '"') {
      readQuoted(Integer.MAX_VALUE);
    } else if (peekIsLiteral()) {
      pos += readLiteralLength();
    } else {
      readAtomLike();
    }
  }

  private String readNString() {
    if (peek() == '"') {
      return readQuoted(MAX_QUOTED_TEXT);
    }
    if (peekIsLiteral()) {
      int length = readLiteralLength();
      if (length > MAX_QUOTED_TEXT) {
        throw new Unreadable("a date of " + length + " bytes");
      }
      String s = new String(buf, pos, length, StandardCharsets.ISO_8859_1);
      pos += length;
      return s;
    }
    String atom = readAtomLike();
    if (atom.equalsIgnoreCase("NIL")) {
      return null;
    }
    throw new Unreadable("expected a string, found " + Printable.escape(atom));
  }

  private String readQuoted(int max) {
    expect('"');
    StringBuilder out = new StringBuilder();
    while (true) {
      int c = next("the closing quote");
      if (c == '"') {
        return out.toString();
      }
      if (c == '\\') {
        c = next("the closing quote");
      }
      if (c == '\r' || c == '\n') {
        throw new Unreadable("a line end inside a quoted string");
      }
      if (out.length() < max) {
        out.append((char) c);
      }
    }
  }

  private boolean peekIsLiteral() {
    return peek() == '{' || (peek() == '~' && pos + 1 < end && buf[pos + 1] == '{');
  }

  /**
   * {@code {n}CRLF} (or {@code ~{n}} for a binary literal): the n bytes that follow must be there.
   */
  private int readLiteralLength() {
    if (peek() == '~') {
      pos++;
    }
    expect('{');
    long n = readNumber("a literal's length");
    if (peek() == '+') {
      pos++;
    }
    expect('}');
    expect('\r');
    expect('\n');
    if (n > end - pos) {
      throw new Unreadable(
          "a literal of " + n + " bytes with " + (end - pos) + " left in the response");
    }
    return (int) n;
  }

  private String readAtom() {
    int s = pos;
    while (pos < end && isAtomChar(buf[pos]) && buf[pos] != '[') {
      pos++;
    }
    if (pos == s) {
      throw new Unreadable(
          pos < end
              ? "expected a name, found " + shown(buf[pos] & 0xff)
              : "the response ends early");
    }
    return new String(buf, s, pos - s, StandardCharsets.ISO_8859_1);
  }

  /** An atom, number or NIL: up to the next space, parenthesis or end (at least one byte). */
  private String readAtomLike() {
    int s = pos;
    while (pos < end && buf[pos] != ' ' && buf[pos] != ')' && buf[pos] != '(') {
      pos++;
    }
    if (pos == s) {
      throw new Unreadable(
          pos < end
              ? "expected a value, found " + shown(buf[pos] & 0xff)
              : "the response ends early");
    }
    return new String(buf, s, Math.min(pos - s, MAX_QUOTED_TEXT), StandardCharsets.ISO_8859_1);
  }

  private long readNumber(String what) {
    int s = pos;
    long v = 0;
    while (pos < end && buf[pos] >= '0' && buf[pos] <= '9') {
      if (pos - s >= 18) {
        throw new Unreadable(what + " too large");
      }
      v = v * 10 + (buf[pos] - '0');
      pos++;
    }
    if (pos == s) {
      throw new Unreadable(
          "expected " + what + (pos < end ? ", found " + shown(buf[pos] & 0xff) : ""));
    }
    return v;
  }

  private static boolean isAtomChar(byte b) {
    return b > 0x20 && b < 0x7f && "(){%*\"\\]".indexOf(b) < 0;
  }

  private int peek() {
    return pos < end ? buf[pos] & 0xff : -1;
  }

  private int next(String what) {
    if (pos >= end) {
      throw new Unreadable("the response ends before " + what);
    }
    return buf[pos++] & 0xff;
  }

  private void expect(char c) {
    int got = peek();
    if (got != c) {
      throw new Unreadable(
          "expected " + shown(c) + ", found " + (got < 0 ? "the end" : shown(got)));
    }
    pos++;
  }

  private static String shown(int c) {
    return c >= 0x21 && c < 0x7f
        ? "'" + (char) c + "'"
        : String.format(Locale.ROOT, "byte 0x%02x", c);
  }

  /**
   * An IMAP date-time (RFC 9051 date-time: {@code "dd-Mon-yyyy hh:mm:ss +hhmm"}, the day may be
   * space-padded), checked field by field; null when it is not one (year 0000 included).
   */
  public static Instant internetDate(String text) {
    String t = text.strip();
    if (t.length() != 26 && t.length() != 25) {
      return null;
    }
    if (t.length() == 25) {
      t = "0" + t; // a one-digit day
    }
    try {
      int day = digits(t, 0, 2);
      int month = month(t.substring(3, 6));
      int year = digits(t, 7, 4);
      int hour = digits(t, 12, 2);
      int minute = digits(t, 15, 2);
      int second = digits(t, 18, 2);
      int zoneHours = digits(t, 22, 2);
      int zoneMinutes = digits(t, 24, 2);
      char sign = t.charAt(21);
      if (t.charAt(2) != '-'
          || t.charAt(6) != '-'
          || t.charAt(11) != ' '
          || t.charAt(14) != ':'
          || t.charAt(17) != ':'
          || t.charAt(20) != ' '
          || (sign != '+' && sign != '-')
          || year < 1
          || month < 1
          || zoneMinutes > 59) {
        return null;
      }
      ZoneOffset zone =
          ZoneOffset.ofHoursMinutes(
              sign == '-' ? -zoneHours : zoneHours, sign == '-' ? -zoneMinutes : zoneMinutes);
      return LocalDateTime.of(year, month, day, hour, minute, second).toInstant(zone);
    } catch (DateTimeException | NumberFormatException e) {
      return null;
    }
  }

  private static int digits(String t, int from, int n) {
    int v = 0;
    for (int i = from; i < from + n; i++) {
      char c = t.charAt(i);
      if (c == ' ' && i == from && from == 0) {
        continue; // " 7-Jul-..." : space-padded day
      }
      if (c < '0' || c > '9') {
        throw new NumberFormatException();
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  private static int month(String name) {
    String upper = name.toUpperCase(Locale.ROOT);
    for (int i = 0; i < MONTHS.length; i++) {
      if (MONTHS[i].equals(upper)) {
        return i + 1;
      }
    }
    return -1;
  }

  /** Stops the reading where the syntax breaks; never leaves this class. */
  private static final class Unreadable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Unreadable(String message) {
      super(message, null, false, false);
    }
  }
}

package io.mailferry.mail;

/**
 * Names others chose (folder names, server words) made safe to print: a control character in a
 * folder name would otherwise reach the terminal (ESC sequences) or forge a log line (a newline).
 * Control characters become {@code \xNN} (or a backslash, u and four hex digits above 0xFF); any
 * other character, of any script, is printed as it is.
 */
public final class Printable {

  private Printable() {}

  public static String escape(String s) {
    if (s == null) {
      return "null";
    }
    int i = 0;
    while (i < s.length() && !needsEscape(s.charAt(i))) {
      i++;
    }
    if (i == s.length()) {
      return s;
    }
    StringBuilder b = new StringBuilder(s.length() + 8).append(s, 0, i);
    for (; i < s.length(); i++) {
      char c = s.charAt(i);
      if (needsEscape(c)) {
        b.append(c <= 0xFF ? String.format("\\x%02X", (int) c) : String.format("\\u%04X", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  private static boolean needsEscape(char c) {
    // C0, DEL, C1, and the line/paragraph separators and bidi controls that reorder a terminal
    // line.
    return c < 0x20
        || (c >= 0x7F && c <= 0x9F)
        || c == '\u2028'
        || c == '\u2029'
        || (c >= '\u202A' && c <= '\u202E')
        || (c >= '\u2066' && c <= '\u2069');
  }
}

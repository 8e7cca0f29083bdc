package io.mailferry.mail;

import java.util.Set;

/** The IMAP system flags (RFC 9051 2.3.2) and the rule for what a keyword may contain. */
public final class MessageFlags {

  public static final String SEEN = "\\Seen";
  public static final String ANSWERED = "\\Answered";
  public static final String FLAGGED = "\\Flagged";
  public static final String DELETED = "\\Deleted";
  public static final String DRAFT = "\\Draft";

  /** \Recent is session state, not a message property: it is never copied. */
  public static final Set<String> SYSTEM = Set.of(SEEN, ANSWERED, FLAGGED, DELETED, DRAFT);

  /** Session state (RFC 9051 2.3.2): never copied. */
  public static final String RECENT = "\\Recent";

  private MessageFlags() {}

  /**
   * The flag as mailferry writes it (a system flag in its usual case), or null for an unknown
   * system flag ({@code \Foo}: never read as another one) or a keyword that is not an atom.
   */
  public static String known(String flag) {
    if (flag.startsWith("\\")) {
      for (String system : SYSTEM) {
        if (system.equalsIgnoreCase(flag)) {
          return system;
        }
      }
      return null;
    }
    return isValidKeyword(flag) ? flag : null;
  }

  public static boolean isSystem(String flag) {
    return SYSTEM.contains(flag);
  }

  /** A keyword is an IMAP atom: no space, control, parenthesis, brace, quote, %, *, \ or ]. */
  public static boolean isValidKeyword(String flag) {
    if (flag.isEmpty()) {
      return false;
    }
    for (int i = 0; i < flag.length(); i++) {
      char c = flag.charAt(i);
      if (c <= 0x20 || c >= 0x7f || "(){%*\"\\]".indexOf(c) >= 0) {
        return false;
      }
    }
    return true;
  }
}

package io.mailferry.testsupport;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Messages that other migration tools lose or damage, as a test corpus. Every case is built byte by
 * byte (no charset guessing, no line-ending normalisation), because the point of each one is a byte
 * pattern that a "helpful" library would silently change.
 */
public final class HardCases {

  /**
   * One corpus entry: the exact bytes to store, with the flags and INTERNALDATE to store them with.
   */
  public record HardCase(String name, byte[] raw, Set<String> flags, Instant internalDate) {
    public HardCase {
      // Sorted, not Set.copyOf: that one iterates in a per-JVM random order, and flags get written
      // out.
      flags = Collections.unmodifiableSet(new TreeSet<>(flags));
    }
  }

  /**
   * Cases without a reason to share a date get consecutive hours from here, so all dates differ.
   */
  private static final Instant BASE = Instant.parse("2024-03-01T10:00:00Z");

  private static final String SHARED_ID = "<shared-id@hard.mailferry.example>";
  private static final String SAME_KEY_ID = "<same-key@hard.mailferry.example>";

  private HardCases() {}

  public static List<HardCase> all() {
    List<HardCase> all = new ArrayList<>();
    all.addAll(exactDuplicates());
    all.add(noMessageId());
    all.addAll(sharedMessageId());
    all.addAll(sameKeyDifferentBytes());
    all.add(headersOnlyWithBlankLine());
    all.add(headersOnlyWithoutBlankLine());
    all.add(brokenMime());
    all.add(bareLf());
    all.add(noFinalNewline());
    all.add(eightBitHeadersUtf8());
    all.add(eightBitHeadersLatin1());
    all.add(longHeaderLine());
    all.add(dotAndFromLines());
    all.add(eightBitBody());
    all.add(keywordsAndFlags());
    all.add(deleted());
    all.add(draft());
    return List.copyOf(all);
  }

  /**
   * Tools that de-duplicate by Message-ID or by content keep one of two legitimately identical
   * messages.
   */
  public static List<HardCase> exactDuplicates() {
    byte[] raw =
        simple("<dup@hard.mailferry.example>", "Reminder: standup", "Standup in 5 minutes.");
    Instant at = hour(0);
    // Separate arrays with equal contents: a copier must not rely on identity either.
    return List.of(
        new HardCase("duplicate-1", raw.clone(), Set.of("\\Seen"), at),
        new HardCase("duplicate-2", raw.clone(), Set.of("\\Seen"), at));
  }

  /**
   * Tools keyed on Message-ID skip it, crash on the null, or invent one and so change the bytes.
   */
  static HardCase noMessageId() {
    byte[] raw =
        new Raw()
            .line("From: Cron Daemon <root@host.example>")
            .line("To: root@host.example")
            .line("Subject: Cron <root@host> backup.sh")
            .line("Date: Fri, 1 Mar 2024 03:00:01 +0000")
            .line("")
            .line("backup finished: 0 errors")
            .bytes();
    return new HardCase("no-message-id", raw, Set.of(), hour(1));
  }

  /**
   * Tools that treat Message-ID as unique copy only the first of these three and call the rest
   * "already there".
   */
  static List<HardCase> sharedMessageId() {
    return List.of(
        new HardCase(
            "shared-id-1", simple(SHARED_ID, "Weekly report", "Short."), Set.of(), hour(2)),
        new HardCase(
            "shared-id-2",
            simple(
                SHARED_ID, "Weekly report", "A somewhat longer body, as resent by a list server."),
            Set.of("\\Seen"),
            hour(3)),
        new HardCase(
            "shared-id-3",
            simple(
                SHARED_ID,
                "Weekly report",
                "The longest body of the three: a bounce or a re-edit that kept the"
                    + " original Message-ID but changed the content entirely."),
            Set.of("\\Flagged"),
            hour(4)));
  }

  /**
   * Tools that dedupe on (Message-ID, size, INTERNALDATE) drop one of these; only a content hash
   * such as SHA-256 tells them apart (the bodies differ in one letter).
   */
  static List<HardCase> sameKeyDifferentBytes() {
    Instant at = hour(5);
    return List.of(
        new HardCase(
            "same-key-a", simple(SAME_KEY_ID, "Where to meet", "Meet at gate A."), Set.of(), at),
        new HardCase(
            "same-key-b", simple(SAME_KEY_ID, "Where to meet", "Meet at gate B."), Set.of(), at));
  }

  /**
   * Tools that assume a body exists add an empty line or a trailing CRLF, changing size and hash.
   */
  static HardCase headersOnlyWithBlankLine() {
    byte[] raw =
        new Raw()
            .line("From: a@hard.mailferry.example")
            .line("To: b@hard.mailferry.example")
            .line("Subject: headers, blank line, no body")
            .line("Date: Fri, 1 Mar 2024 16:00:00 +0000")
            .line("Message-ID: <headers-only-1@hard.mailferry.example>")
            .line("")
            .bytes();
    return new HardCase("headers-only-blank-line", raw, Set.of(), hour(6));
  }

  /**
   * Parsers that look for the header/body separator fail or append one, so the copy is no longer
   * identical.
   */
  static HardCase headersOnlyWithoutBlankLine() {
    byte[] raw =
        new Raw()
            .line("From: a@hard.mailferry.example")
            .line("To: b@hard.mailferry.example")
            .line("Subject: headers only, not even a blank line")
            .line("Date: Fri, 1 Mar 2024 17:00:00 +0000")
            .line("Message-ID: <headers-only-2@hard.mailferry.example>")
            .bytes();
    return new HardCase("headers-only-no-blank-line", raw, Set.of(), hour(7));
  }

  /**
   * MIME-parsing tools throw on it and skip it, or "repair" it by closing the boundary and
   * re-encoding the part.
   */
  static HardCase brokenMime() {
    byte[] raw =
        new Raw()
            .line("From: Broken Mailer <bug@hard.mailferry.example>")
            .line("To: b@hard.mailferry.example")
            .line("Subject: broken MIME")
            .line("Date: Fri, 1 Mar 2024 18:00:00 +0000")
            .line("Message-ID: <broken-mime@hard.mailferry.example>")
            .line("MIME-Version: 1.0")
            .line("Content-Type: multipart/mixed; boundary=\"never-closed\"")
            .line("")
            .line("--never-closed")
            .line("Content-Type: text/plain; charset=US-ASCII")
            .line("")
            .line("First part is fine.")
            .line("--never-closed")
            .line("Content-Type: application/octet-stream")
            .line("Content-Transfer-Encoding: x-bogus-encoding")
            .line("")
            .line("=?this is not in any known encoding?= %%% ~~~")
            .line("and the closing --never-closed-- delimiter never comes")
            .bytes();
    return new HardCase("broken-mime", raw, Set.of(), hour(8));
  }

  /** Tools (and IMAP libraries) normalise LF to CRLF, so size and hash change on the way. */
  static HardCase bareLf() {
    byte[] raw =
        new Raw()
            .lf("From: Unix Box <daemon@hard.mailferry.example>")
            .lf("To: b@hard.mailferry.example")
            .lf("Subject: bare LF line endings")
            .lf("Date: Fri, 1 Mar 2024 19:00:00 +0000")
            .lf("Message-ID: <bare-lf@hard.mailferry.example>")
            .lf("")
            .lf("Every line of this message ends in LF only,")
            .lf("as written by a local delivery agent.")
            .bytes();
    return new HardCase("bare-lf", raw, Set.of(), hour(9));
  }

  /** Tools append a final CRLF "for correctness", so the copy is two bytes longer. */
  static HardCase noFinalNewline() {
    byte[] raw =
        new Raw()
            .line("From: a@hard.mailferry.example")
            .line("To: b@hard.mailferry.example")
            .line("Subject: no final newline")
            .line("Date: Fri, 1 Mar 2024 20:00:00 +0000")
            .line("Message-ID: <no-final-newline@hard.mailferry.example>")
            .line("")
            .text("The last line has no line ending")
            .bytes();
    return new HardCase("no-final-newline", raw, Set.of(), hour(10));
  }

  /** Tools decode headers as ASCII or the platform charset and write back '?' or mojibake. */
  public static HardCase eightBitHeadersUtf8() {
    byte[] raw =
        new Raw()
            .utf8Line("From: Zoë Ångström <zoe@hard.mailferry.example>")
            .line("To: b@hard.mailferry.example")
            .utf8Line("Subject: Grüße, ação, 日本語 — raw UTF-8, not encoded")
            .line("Date: Fri, 1 Mar 2024 21:00:00 +0000")
            .line("Message-ID: <8bit-utf8@hard.mailferry.example>")
            .line("")
            .line("Header bytes above are raw UTF-8.")
            .bytes();
    return new HardCase("8bit-headers-utf8", raw, Set.of(), hour(11));
  }

  /**
   * Tools assume UTF-8, hit invalid sequences and replace them with U+FFFD, losing the original
   * bytes.
   */
  static HardCase eightBitHeadersLatin1() {
    byte[] raw =
        new Raw()
            .line("From: Jürgen Müller <juergen@hard.mailferry.example>")
            .line("To: b@hard.mailferry.example")
            .line("Subject: Café crème für Jürgen, raw Latin-1")
            .line("Date: Fri, 1 Mar 2024 22:00:00 +0000")
            .line("Message-ID: <8bit-latin1@hard.mailferry.example>")
            .line("")
            .line("Header bytes above are raw ISO-8859-1, invalid as UTF-8.")
            .bytes();
    return new HardCase("8bit-headers-latin1", raw, Set.of(), hour(12));
  }

  /**
   * Tools fold or truncate lines over RFC 5322's 998-character limit, or the server connection
   * chokes on them.
   */
  static HardCase longHeaderLine() {
    StringBuilder refs = new StringBuilder("References:");
    for (int i = 0; refs.length() < 3000; i++) {
      refs.append(String.format(" <thread-%04d.1709280000@lists.hard.mailferry.example>", i));
    }
    byte[] raw =
        new Raw()
            .line("From: a@hard.mailferry.example")
            .line("To: b@hard.mailferry.example")
            .line("Subject: Re: a very long thread")
            .line("Date: Fri, 1 Mar 2024 23:00:00 +0000")
            .line("Message-ID: <long-header@hard.mailferry.example>")
            .line(refs.toString()) // one unfolded line of over 3000 characters
            .line("")
            .line("The References header above is a single line.")
            .bytes();
    return new HardCase("long-header-line", raw, Set.of(), hour(13));
  }

  /**
   * Tools that speak SMTP/mbox semantics dot-stuff, un-dot-stuff or ">From "-quote these lines, or
   * stop at the lone ".".
   */
  static HardCase dotAndFromLines() {
    byte[] raw =
        new Raw()
            .line("From: a@hard.mailferry.example")
            .line("To: b@hard.mailferry.example")
            .line("Subject: dots and From lines")
            .line("Date: Sat, 2 Mar 2024 00:00:00 +0000")
            .line("Message-ID: <dot-from@hard.mailferry.example>")
            .line("")
            .line(".")
            .line(".. two dots")
            .line(".hidden-file")
            .line("From here on the body continues,")
            .line(">From an already quoted line")
            .line("From the start of a line again.")
            .line(".")
            .line("end")
            .bytes();
    return new HardCase("dot-and-from-lines", raw, Set.of(), hour(14));
  }

  /**
   * Tools treat the body as text in some charset and mangle bytes 0x80-0xFF, or re-encode it as
   * base64.
   */
  static HardCase eightBitBody() {
    Raw raw =
        new Raw()
            .line("From: a@hard.mailferry.example")
            .line("To: b@hard.mailferry.example")
            .line("Subject: 8bit body bytes")
            .line("Date: Sat, 2 Mar 2024 01:00:00 +0000")
            .line("Message-ID: <8bit-body@hard.mailferry.example>")
            .line("MIME-Version: 1.0")
            .line("Content-Type: text/plain; charset=unknown-8bit")
            .line("Content-Transfer-Encoding: 8bit")
            .line("");
    // Every byte 0x80-0xFF twice over, 64 per line; no NUL and no CR/LF except as line
    // endings, so it is legal 8bit (RFC 2045) and only a byte-exact copy keeps it.
    for (int line = 0; line < 4; line++) {
      byte[] chunk = new byte[64];
      for (int i = 0; i < 64; i++) {
        chunk[i] = (byte) (0x80 + (line % 2) * 64 + i);
      }
      raw.raw(chunk).raw(new byte[] {'\r', '\n'});
    }
    return new HardCase("8bit-body", raw.bytes(), Set.of(), hour(15));
  }

  /** Tools copy only system flags and drop keywords, or drop \Answered and \Flagged. */
  static HardCase keywordsAndFlags() {
    return new HardCase(
        "keywords-and-flags",
        simple("<keywords@hard.mailferry.example>", "flags and keywords", "Tagged in every way."),
        Set.of("$Forwarded", "$Label1", "custom_kw", "\\Flagged", "\\Answered"),
        hour(16));
  }

  /**
   * Tools copy \Deleted and the next EXPUNGE at the target destroys it; a copier skips it by
   * default.
   */
  static HardCase deleted() {
    return new HardCase(
        "flag-deleted",
        simple("<deleted@hard.mailferry.example>", "deleted but not expunged", "Marked \\Deleted."),
        Set.of("\\Deleted", "\\Seen"),
        hour(17));
  }

  /**
   * Tools drop \Draft (some servers refuse it outside Drafts), so the draft shows up as an ordinary
   * message.
   */
  static HardCase draft() {
    return new HardCase(
        "flag-draft",
        simple("<draft@hard.mailferry.example>", "unfinished", "Dear ..."),
        Set.of("\\Draft"),
        hour(18));
  }

  private static byte[] simple(String messageId, String subject, String body) {
    return new Raw()
        .line("From: Hard Case <hard@hard.mailferry.example>")
        .line("To: b@hard.mailferry.example")
        .line("Subject: " + subject)
        .line("Date: Fri, 1 Mar 2024 09:00:00 +0000")
        .line("Message-ID: " + messageId)
        .line("")
        .line(body)
        .bytes();
  }

  private static Instant hour(int n) {
    return BASE.plusSeconds(3600L * n);
  }

  /** Writes exactly the bytes asked for: Latin-1 or UTF-8 text, CRLF or LF, nothing implicit. */
  private static final class Raw {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** A line in ISO-8859-1 (one byte per char) ending in CRLF. */
    Raw line(String latin1) {
      return text(latin1).raw(new byte[] {'\r', '\n'});
    }

    /** A line in ISO-8859-1 ending in a bare LF. */
    Raw lf(String latin1) {
      return text(latin1).raw(new byte[] {'\n'});
    }

    /** A line in UTF-8 ending in CRLF. */
    Raw utf8Line(String text) {
      return raw(text.getBytes(StandardCharsets.UTF_8)).raw(new byte[] {'\r', '\n'});
    }

    /**
     * ISO-8859-1 text with no line ending; refuses characters Latin-1 cannot hold instead of
     * writing '?'.
     */
    Raw text(String latin1) {
      for (int i = 0; i < latin1.length(); i++) {
        if (latin1.charAt(i) > 0xFF) {
          throw new IllegalArgumentException("not Latin-1: " + latin1);
        }
      }
      return raw(latin1.getBytes(StandardCharsets.ISO_8859_1));
    }

    Raw raw(byte[] bytes) {
      out.writeBytes(bytes);
      return this;
    }

    byte[] bytes() {
      return out.toByteArray();
    }
  }
}

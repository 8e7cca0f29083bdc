package io.mailferry.source.pop3;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One TOP n 0 answer: the SHA-256 of the whole header section (the key of a message on a server
 * without UIDL) and its first {@link #KEPT} bytes, from which the date and Message-ID are read. A
 * header section longer than its whole message's bound is a broken server.
 */
final class HeaderSection implements Pop3Input.Sink {

  /** Far more than any real header section; the fields we read (Received:, Date:) come first. */
  static final int KEPT = 256 * 1024;

  private final MessageDigest digest;
  private final ByteArrayOutputStream kept = new ByteArrayOutputStream(2048);
  private final long listedSize;
  private final long bound;
  private long total;

  /** What is read, for the sentence about a server that sends too much. */
  private final String what;

  private HeaderSection(long listedSize, String what) {
    this.listedSize = listedSize;
    this.what = what;
    this.bound = MessageBound.of(listedSize, 0).drain();
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static HeaderSection read(Pop3Input body, long listedSize) throws IOException {
    return read(body, listedSize, "a header section (TOP)");
  }

  /**
   * One RETR answer read the same way: the SHA-256 of all of the message's bytes, and its start
   * (the header section) kept. For a server without UIDL or TOP, that hash is the key.
   */
  static HeaderSection readWhole(Pop3Input body, long listedSize) throws IOException {
    return read(body, listedSize, "a message (RETR)");
  }

  private static HeaderSection read(Pop3Input body, long listedSize, String what)
      throws IOException {
    HeaderSection section = new HeaderSection(listedSize, what);
    body.readBody(section);
    return section;
  }

  @Override
  public void write(byte[] buf, int off, int len) throws IOException {
    total += len;
    if (total > bound) {
      throw new Pop3Violation(
          "sent "
              + what
              + " of more than "
              + bound
              + " bytes for a message it listed as "
              + listedSize
              + " bytes");
    }
    digest.update(buf, off, len);
    kept.write(buf, off, (int) Math.max(0, Math.min(len, KEPT - (total - len))));
  }

  byte[] kept() {
    return kept.toByteArray();
  }

  String sha256() {
    return HexFormat.of().formatHex(digest.digest());
  }
}

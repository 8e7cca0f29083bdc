package io.mailferry.source.pop3;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One TOP n 0 answer: the SHA-256 of the whole header section (the key of a message on a server
 * without UIDL) and its first {@link #KEPT} bytes, from which the date and Message-ID are read.
 * A header section longer than its whole message's bound is a broken server.
 */
final class HeaderSection implements Pop3Input.Sink {

  /** Far more than any real header section; the fields we read (Received:, Date:) come first. */
  static final int KEPT = 256 * 1024;

  private final MessageDigest digest;
  private final ByteArrayOutputStream kept = new ByteArrayOutputStream(2048);
  private final long listedSize;
  private final long bound;
  private long total;

  private HeaderSection(long listedSize) {
    this.listedSize = listedSize;
    this.bound = MessageBound.of(listedSize, 0).drain();
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static HeaderSection read(Pop3Input body, long listedSize) throws IOException {
    HeaderSection header = new HeaderSection(listedSize);
    body.readBody(header);
    return header;
  }

  @Override
  public void write(byte[] buf, int off, int len) throws IOException {
    total += len;
    if (total > bound) {
      throw new Pop3Violation("sent a header section (TOP) of more than " + bound
          + " bytes for a message it listed as " + listedSize + " bytes");
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

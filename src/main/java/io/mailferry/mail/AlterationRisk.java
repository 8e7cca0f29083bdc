package io.mailferry.mail;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Whether a destination server is likely to store a message with other bytes than it was sent: raw
 * 8-bit or NUL bytes in the header (Cyrus's munge8bit turns them into 'X'), a bare LF or CR
 * anywhere (refused by Cyrus, turned into CRLF by others), a line over 998 bytes (RFC 5322 2.1.1;
 * some servers wrap it). Only such messages are read back after the copy: the scan is a local pass
 * over bytes in hand, the read-back a round trip.
 */
public final class AlterationRisk {

  /** RFC 5322 2.1.1: at most 998 characters per line, excluding the CRLF. */
  static final int MAX_LINE = 998;

  private AlterationRisk() {}

  /** What puts the message at risk, in a few words; null when nothing does. */
  public static String of(RawMessage message) {
    try (InputStream in = message.open()) {
      Scan scan = new Scan();
      byte[] buf = new byte[64 * 1024];
      for (int n; (n = in.read(buf)) > 0; ) {
        String risk = scan.feed(buf, n);
        if (risk != null) {
          return risk;
        }
      }
      return scan.end();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read a spooled message again", e);
    }
  }

  /** The scan over pieces of one message: state carries from one piece to the next. */
  private static final class Scan {
    private boolean inHeader = true;
    private boolean lineEmpty = true;
    private int lineLength;
    private int previous = -1;

    String feed(byte[] buf, int n) {
      for (int i = 0; i < n; i++) {
        int b = buf[i] & 0xff;
        if (previous == '\r' && b != '\n') {
          return "a bare CR";
        }
        if (b == '\n') {
          if (previous != '\r') {
            return "a bare LF";
          }
          if (inHeader && lineEmpty) {
            inHeader = false; // the empty line that ends the header
          }
          lineEmpty = true;
          lineLength = 0;
        } else if (b != '\r') {
          if (b == 0) {
            return "a NUL byte";
          }
          if (inHeader && b >= 0x80) {
            return "raw 8-bit bytes in its header";
          }
          lineEmpty = false;
          if (++lineLength > MAX_LINE) {
            return "a line over " + MAX_LINE + " bytes";
          }
        }
        previous = b;
      }
      return null;
    }

    String end() {
      return previous == '\r' ? "a bare CR" : null;
    }
  }
}

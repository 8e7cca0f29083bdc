package io.mailferry.mail;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;

/**
 * UIDs for sources that have none (POP3, an archive): a stable hash of a key that does not change.
 */
public final class StableUid {

  private StableUid() {}

  /** A stable 63-bit, non-zero number for a key (0 means "from the start" to the reader). */
  public static long of(String key) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      long h = ByteBuffer.wrap(digest).getLong() & Long.MAX_VALUE;
      return h == 0 ? 1 : h;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Where reading continues after the message with UID {@code lastUid} in a source ordered its own
   * way: right after it, or from the start (0) when it is gone; the ledger then filters.
   */
  public static <T> int indexAfter(List<T> ordered, Map<Long, T> byUid, long lastUid) {
    T last = lastUid == 0 ? null : byUid.get(lastUid);
    return last == null ? 0 : ordered.indexOf(last) + 1;
  }
}

package io.mailferry.sink.imap;

import java.util.Collection;
import java.util.Locale;

/**
 * APPENDLIMIT (RFC 7889): "APPENDLIMIT=n" in the capabilities is one limit for every folder; a bare
 * "APPENDLIMIT" means each folder has its own, read with STATUS (APPENDLIMIT).
 */
final class AppendLimits {

  private static final String NAME = "APPENDLIMIT";

  private AppendLimits() {}

  /** The server-wide limit in octets, or null when the capabilities name none. */
  static Long global(Collection<String> capabilities) {
    for (String c : capabilities) {
      String upper = c.toUpperCase(Locale.ROOT);
      if (upper.startsWith(NAME + "=")) {
        try {
          return Long.parseLong(upper.substring(NAME.length() + 1));
        } catch (NumberFormatException e) {
          return null; // a malformed limit is no limit we can honour
        }
      }
    }
    return null;
  }

  /** Whether the limit is per folder (bare APPENDLIMIT): ask STATUS then. */
  static boolean perFolder(Collection<String> capabilities) {
    return capabilities.stream().anyMatch(c -> c.equalsIgnoreCase(NAME));
  }

  /**
   * STATUS gives the folder's limit, NIL (none), or nothing: Angus reports the last two as
   * negative.
   */
  static Long fromStatus(long value) {
    return value < 0 ? null : value;
  }
}

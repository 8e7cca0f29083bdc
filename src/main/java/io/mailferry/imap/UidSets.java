package io.mailferry.imap;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * UIDs written as IMAP sets ("1:5,7,9:12", RFC 9051 sequence-set), and read back from a server's
 * response codes (COPYUID, APPENDUID).
 */
public final class UidSets {

  /**
   * UIDs one command names at most: a FETCH of them is answered in bounded memory, and a server
   * that limits the length of a command line (Courier 8 KB, Exchange 16 KB) takes the command.
   */
  public static final int MAX_UIDS = 500;

  /** Characters of one set at most (the rest of the command fits in the 8 KB of the strictest). */
  static final int MAX_CHARS = 4000;

  /** The widest range: "4294967295:4294967295" and its comma. */
  private static final int WIDEST_RANGE = 22;

  /** One command's share: its set as sent, and the UIDs it names. */
  public record Piece(String set, Set<Long> uids) {}

  private UidSets() {}

  /** The UIDs, ascending and each once, in pieces of at most MAX_UIDS UIDs and MAX_CHARS. */
  public static List<Piece> pieces(Collection<Long> uids) {
    return pieces(uids, MAX_UIDS);
  }

  /**
   * As {@link #pieces(Collection)}, with at most {@code maxUids} UIDs a piece: a command whose
   * answer is one line per piece (UID SEARCH) can name more than a FETCH.
   */
  public static List<Piece> pieces(Collection<Long> uids, int maxUids) {
    List<Piece> pieces = new ArrayList<>();
    StringBuilder set = new StringBuilder();
    Set<Long> named = new LinkedHashSet<>();
    long start = -1;
    long end = -1;
    for (long uid : new TreeSet<>(uids)) {
      if (uid < 1) {
        continue; // no message has it
      }
      if (named.size() == maxUids) {
        close(set, start, end);
        pieces.add(new Piece(set.toString(), named));
        set = new StringBuilder();
        named = new LinkedHashSet<>();
        start = -1;
      }
      if (start >= 0 && uid == end + 1) {
        end = uid;
      } else {
        if (start >= 0) {
          close(set, start, end);
          if (set.length() + WIDEST_RANGE > MAX_CHARS) {
            pieces.add(new Piece(set.toString(), named));
            set = new StringBuilder();
            named = new LinkedHashSet<>();
          }
        }
        start = uid;
        end = uid;
      }
      named.add(uid);
    }
    if (start >= 0) {
      close(set, start, end);
      pieces.add(new Piece(set.toString(), named));
    }
    return pieces;
  }

  private static void close(StringBuilder set, long start, long end) {
    if (!set.isEmpty()) {
      set.append(',');
    }
    set.append(start);
    if (end != start) {
      set.append(':').append(end);
    }
  }

  /**
   * Expands "5,7:9" to [5, 7, 8, 9] in the order written; null when it names more than {@code max}
   * UIDs (a server's "1:4294967295" is not expanded) or is no UID set.
   */
  public static List<Long> expand(String set, int max) {
    List<Long> uids = new ArrayList<>();
    try {
      for (String part : set.split(",", -1)) {
        int colon = part.indexOf(':');
        long a = Long.parseLong(colon < 0 ? part : part.substring(0, colon));
        long b = colon < 0 ? a : Long.parseLong(part.substring(colon + 1));
        if (Math.abs(b - a) >= max - uids.size()) {
          return null;
        }
        // "4:2" is the same range as "2:4" (RFC 9051 seq-range); new UIDs only ever rise.
        for (long uid = Math.min(a, b); uid <= Math.max(a, b); uid++) {
          uids.add(uid);
        }
      }
    } catch (NumberFormatException e) {
      return null;
    }
    return uids;
  }
}

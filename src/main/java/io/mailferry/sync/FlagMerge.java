package io.mailferry.sync;

import io.mailferry.mail.MessageFlags;
import java.util.Set;
import java.util.TreeSet;

/**
 * The three-way flag merge of a re-run (issue 19): the source's flags now, the destination's now,
 * and what mailferry last wrote there. A change made at the source only is carried over; a change
 * made at the destination only (its user already works there) stays; where both changed, each flag
 * goes the way of the side that changed it (both changing one flag can only agree). Without the
 * last-written state, the source's system flags and the keywords of both. Plain code, no I/O.
 *
 * <p>Only the flags a message carries between servers take part: {@code \Seen \Answered \Flagged
 * \Draft} and keywords. {@code \Deleted} is the user's business at each end (a source message
 * flagged \Deleted is skipped, and expunges are --mirror's), {@code \Recent} is session state.
 */
public final class FlagMerge {

  private FlagMerge() {}

  /** What the merge found. */
  public enum Change {
    /** The source did not change since the last run: the destination keeps what it has. */
    NONE,
    /** Changed at the source only: the destination takes the source's flags. */
    FROM_SOURCE,
    /** Changed at both: each flag as the side that changed it has it. */
    BOTH,
    /** Nothing known of the last run's flags: merged as if both had changed. */
    NO_BASE
  }

  /**
   * @param flags what the destination should hold, of the flags that take part
   */
  public record Result(Change change, Set<String> flags) {}

  /**
   * @param lastWritten what the ledger says mailferry last wrote, or null: not known
   */
  public static Result merge(Set<String> source, Set<String> destination, Set<String> lastWritten) {
    Set<String> s = carried(source);
    Set<String> d = carried(destination);
    if (lastWritten == null) {
      // Nothing to tell who changed what: the source's system flags, the keywords of both (a
      // keyword is never removed on a guess).
      Set<String> merged = new TreeSet<>(s);
      for (String f : d) {
        if (!MessageFlags.isSystem(f)) {
          merged.add(f);
        }
      }
      return new Result(Change.NO_BASE, merged);
    }
    Set<String> b = carried(lastWritten);
    if (s.equals(b)) {
      return new Result(Change.NONE, d);
    }
    if (d.equals(b)) {
      return new Result(Change.FROM_SOURCE, s);
    }
    // Both changed: each flag goes the way of the side that changed it. A flag is on or off, so
    // where both changed the same flag they agree, and the source's value is the destination's.
    Set<String> merged = new TreeSet<>();
    Set<String> all = new TreeSet<>(s);
    all.addAll(d);
    all.addAll(b);
    for (String f : all) {
      boolean atSource = s.contains(f);
      boolean changedAtSource = atSource != b.contains(f);
      if (changedAtSource ? atSource : d.contains(f)) {
        merged.add(f);
      }
    }
    return new Result(Change.BOTH, merged);
  }

  /** Whether the source's flags are what mailferry last wrote: then nothing is to be done. */
  public static boolean unchanged(Set<String> source, Set<String> lastWritten) {
    return lastWritten != null && carried(source).equals(carried(lastWritten));
  }

  /** The flags that take part in the merge, in a fixed order. */
  public static Set<String> carried(Set<String> flags) {
    Set<String> out = new TreeSet<>();
    for (String f : flags) {
      if (!f.equals(MessageFlags.DELETED) && !f.equalsIgnoreCase(MessageFlags.RECENT)) {
        out.add(f);
      }
    }
    return out;
  }
}

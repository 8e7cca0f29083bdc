package io.mailferry.quota;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.LongFunction;

/**
 * The destination's quota against what a run still has to write: one line per quota root, with
 * used, limit, to be written, free after and percent full after. Made before writing (the
 * pre-flight) and again when a run stopped because the destination was full (what is left).
 *
 * <p>"To write" counts every message the ledger does not have; a message some other tool already
 * put at the destination is matched there and not written, so the figure is an upper bound.
 *
 * @param supported false when the destination has no QUOTA capability
 * @param messages messages to write, all folders together
 * @param bytes their RFC822.SIZE, summed
 * @param tooLarge messages above the destination's APPENDLIMIT: skipped, not counted above
 * @param appendLimit the smallest APPENDLIMIT among the folders, or null
 */
public record QuotaForecast(
    boolean supported,
    List<Root> roots,
    long messages,
    long bytes,
    long tooLarge,
    long tooLargeBytes,
    Long appendLimit) {

  public QuotaForecast {
    roots = List.copyOf(roots);
  }

  /**
   * One quota root: its STORAGE (in octets here, reported by the server in units of 1024) and
   * MESSAGE resources; null when the root does not limit that resource.
   */
  public record Root(String name, Resource storage, Resource messageCount) {

    /** The root's line, as printed before writing. */
    public String line() {
      List<String> parts = new ArrayList<>();
      if (storage != null) {
        // Free space is rounded down, everything else up: the line never promises room that is not
        // there.
        parts.add("storage " + storage.describe(QuotaForecast::size, QuotaForecast::sizeDown));
      }
      if (messageCount != null) {
        parts.add("messages " + messageCount.describe(String::valueOf, String::valueOf));
      }
      return "quota \"" + name + "\": " + (parts.isEmpty() ? "no limit" : String.join("; ", parts));
    }

    public boolean fits() {
      return (storage == null || storage.fits()) && (messageCount == null || messageCount.fits());
    }

    /** The fuller of the two resources after the run, in percent. */
    public long percentAfter() {
      return Math.max(
          storage == null ? 0 : storage.percentAfter(),
          messageCount == null ? 0 : messageCount.percentAfter());
    }

    /**
     * What is missing to fit, in words ("1.2 MiB of storage and 3 messages"), or null when it fits.
     */
    public String missing() {
      List<String> parts = new ArrayList<>();
      if (storage != null && !storage.fits()) {
        parts.add(size(-storage.freeAfter()) + " of storage");
      }
      if (messageCount != null && !messageCount.fits()) {
        long n = -messageCount.freeAfter();
        parts.add(n + (n == 1 ? " message" : " messages"));
      }
      return parts.isEmpty() ? null : String.join(" and ", parts);
    }
  }

  /** One resource: used now, the limit, and what the run adds, all in one unit. */
  public record Resource(long used, long limit, long toWrite) {

    public long freeAfter() {
      return limit - used - toWrite;
    }

    public boolean fits() {
      return freeAfter() >= 0;
    }

    public long percentAfter() {
      return limit <= 0 ? 100 : (used + toWrite) * 100 / limit;
    }

    String describe(LongFunction<String> unit, LongFunction<String> unitDown) {
      long free = freeAfter();
      return unit.apply(used)
          + " used of "
          + unit.apply(limit)
          + ", up to "
          + unit.apply(toWrite)
          + " to write, "
          + (free >= 0 ? unitDown.apply(free) + " free after" : "over by " + unit.apply(-free))
          + " ("
          + percentAfter()
          + "% full)";
    }
  }

  /** Every line a user sees about the quota, in order. */
  public List<String> lines() {
    List<String> lines = new ArrayList<>();
    String work = messages + (messages == 1 ? " message (" : " messages (") + size(bytes) + ")";
    if (!supported) {
      lines.add(
          "quota: the destination does not report quotas (no QUOTA capability); up to "
              + work
              + " to write");
    } else if (roots.isEmpty()) {
      lines.add("quota: the destination sets no quota; up to " + work + " to write");
    }
    roots.forEach(r -> lines.add(r.line()));
    if (tooLarge > 0) {
      lines.add(
          "quota: "
              + tooLarge
              + (tooLarge == 1 ? " message (" : " messages (")
              + size(tooLargeBytes)
              + ") larger than the destination accepts (APPENDLIMIT "
              + appendLimit
              + " bytes) will be skipped");
    }
    return lines;
  }

  /**
   * Warnings: a root this run would overfill, and one at least {@code warnPercent} full after it.
   *
   * @param stopping the run will not start (--quota-policy stop), so it is not said that it will
   *     stop
   */
  public List<String> warnings(int warnPercent, boolean stopping) {
    List<String> warnings = new ArrayList<>();
    for (Root root : roots) {
      if (!root.fits()) {
        warnings.add(
            "quota \""
                + root.name()
                + "\" is too small for this migration: it lacks "
                + root.missing()
                + (stopping ? "" : "; the run will stop when the destination is full (exit 73)"));
      } else if (root.percentAfter() >= warnPercent) {
        warnings.add(
            "quota \""
                + root.name()
                + "\" will be "
                + root.percentAfter()
                + "% full after this run "
                + "(--quota-warn "
                + warnPercent
                + ")");
      }
    }
    return warnings;
  }

  /** The roots this run would overfill. */
  public List<Root> overfilled() {
    return roots.stream().filter(r -> !r.fits()).toList();
  }

  /**
   * Octets in binary units, as quotas count them (STORAGE is in units of 1024 octets), rounded up.
   */
  public static String size(long bytes) {
    return size(bytes, (bytes + 1023) / 1024);
  }

  static String sizeDown(long bytes) {
    return size(bytes, bytes / 1024);
  }

  private static String size(long bytes, long kib) {
    if (kib < 10 * 1024) {
      return kib + " KiB";
    }
    double mib = bytes / (1024.0 * 1024);
    if (mib < 10 * 1024) {
      return String.format(Locale.ROOT, "%.1f MiB", mib);
    }
    return String.format(Locale.ROOT, "%.1f GiB", mib / 1024);
  }
}

package io.mailferry.job;

import io.mailferry.quota.QuotaForecast;
import io.mailferry.report.FolderTally;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How far one running account (one job execution) has got, from the tallies its folders save at
 * every chunk: messages done of the total, bytes, rate and time left. Rates count this run only; a
 * resumed run starts with what the earlier runs did.
 */
final class AccountProgress {

  private static final int BAR_WIDTH = 24;
  private static final int LABEL_WIDTH = 64;

  final String label;
  private final long startNanos = System.nanoTime();
  private final Map<Long, FolderTally> latest = new ConcurrentHashMap<>();
  private final Map<Long, FolderTally> before = new ConcurrentHashMap<>();
  private volatile QuotaForecast forecast;

  AccountProgress(String label) {
    this.label = label;
  }

  /** A folder starts: what it had done in earlier runs is not this run's rate. */
  void folderStarted(long stepId, FolderTally restored) {
    if (restored != null) {
      before.put(stepId, restored);
      latest.put(stepId, restored);
    }
  }

  void folderMoved(long stepId, FolderTally tally) {
    latest.put(stepId, tally);
  }

  /** What the quota step found left to write: the total before every folder has been listed. */
  void forecast(QuotaForecast forecast) {
    this.forecast = forecast;
  }

  boolean hasForecast() {
    return forecast != null;
  }

  Snapshot snapshot() {
    long done = 0;
    long atSource = 0;
    long copied = 0;
    long bytes = 0;
    long bytesAtSource = 0;
    long doneBefore = 0;
    long copiedBefore = 0;
    long bytesBefore = 0;
    for (FolderTally t : latest.values()) {
      done += done(t);
      atSource += t.atSource;
      copied += t.copied;
      bytes += t.bytesCopied;
      bytesAtSource += t.bytesAtSource;
    }
    for (FolderTally t : before.values()) {
      doneBefore += done(t);
      copiedBefore += t.copied;
      bytesBefore += t.bytesCopied;
    }
    QuotaForecast f = forecast;
    long total = Math.max(atSource, f == null ? 0 : doneBefore + f.messages());
    long totalBytes = Math.max(bytesAtSource, f == null ? 0 : bytesBefore + f.bytes());
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    return new Snapshot(
        label,
        done,
        Math.max(total, done),
        bytes,
        totalBytes,
        seconds,
        done - doneBefore,
        copied - copiedBefore,
        bytes - bytesBefore);
  }

  private static long done(FolderTally t) {
    return t.copied + t.alreadyThere + t.totalSkipped() + t.failedCount;
  }

  /**
   * @param doneNow messages handled by this run (copied, already there, skipped, failed)
   */
  record Snapshot(
      String label,
      long done,
      long total,
      long bytes,
      long totalBytes,
      double seconds,
      long doneNow,
      long copiedNow,
      long bytesNow) {

    double messagesPerSecond() {
      return seconds > 0 ? copiedNow / seconds : 0;
    }

    double bytesPerSecond() {
      return seconds > 0 ? bytesNow / seconds : 0;
    }

    /** Seconds left at this run's pace, or -1 while unknown. */
    long secondsLeft() {
      if (total == 0) {
        return -1; // not planned yet
      }
      double pace = seconds > 0 ? doneNow / seconds : 0;
      return pace > 0 && total > done ? Math.round((total - done) / pace) : total > done ? -1 : 0;
    }

    int percent() {
      return total == 0 ? 0 : (int) Math.min(100, done * 100 / total);
    }

    /** The live bar: label, bar, percent, messages, bytes, rate, time left. */
    String bar() {
      int filled = total == 0 ? 0 : (int) Math.min(BAR_WIDTH, done * BAR_WIDTH / total);
      return String.format(
          Locale.ROOT,
          "%-" + LABEL_WIDTH + "s [%s%s] %3d%% %d/%d msgs %s %.0f msg/s %s/s ETA %s",
          shorten(label),
          "#".repeat(filled),
          ".".repeat(BAR_WIDTH - filled),
          percent(),
          done,
          total,
          QuotaForecast.size(bytes),
          messagesPerSecond(),
          QuotaForecast.size(Math.round(bytesPerSecond())),
          clock(secondsLeft()));
    }

    /** The plain line, for a log file or a pipe. */
    String line() {
      long left = secondsLeft();
      return String.format(
          Locale.ROOT,
          "progress %s: %d of %d messages done (%d%%), %s copied, %.0f messages/s, " + "%s/s%s",
          label,
          done,
          total,
          percent(),
          QuotaForecast.size(bytesNow),
          messagesPerSecond(),
          QuotaForecast.size(Math.round(bytesPerSecond())),
          left > 0 ? ", about " + clock(left) + " left" : "");
    }

    private static String shorten(String label) {
      if (label.length() <= LABEL_WIDTH) {
        return label;
      }
      int half = (LABEL_WIDTH - 1) / 2;
      return label.substring(0, half)
          + "…"
          + label.substring(label.length() - (LABEL_WIDTH - 1 - half));
    }

    static String clock(long seconds) {
      if (seconds < 0) {
        return "--:--";
      }
      long h = seconds / 3600;
      long m = seconds / 60 % 60;
      long s = seconds % 60;
      return h > 0
          ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, s)
          : String.format(Locale.ROOT, "%d:%02d", m, s);
    }
  }
}

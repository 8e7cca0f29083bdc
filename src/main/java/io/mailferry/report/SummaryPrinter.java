package io.mailferry.report;

import io.mailferry.mail.Printable;
import io.mailferry.quota.QuotaForecast;
import java.io.PrintStream;
import java.util.Locale;

/** The human summary printed at the end of every run. */
public final class SummaryPrinter {

  private SummaryPrinter() {}

  /** The run in one line: what --quiet prints, and what a list of runs shows per run. */
  public static String oneLine(MigrationReport r) {
    String outcome = r.exitCode() == null ? "" : ", exit " + r.exitCode();
    return String.format(
        Locale.ROOT,
        "mailferry: %s → %s (execution %d): %s, %d copied, %d already there, "
            + "%d skipped, %d failed%s, %s in %.1f s%s",
        r.from(),
        r.to(),
        r.jobExecutionId(),
        r.status().toLowerCase(Locale.ROOT),
        r.copied(),
        r.alreadyThere(),
        r.skipped(),
        r.failed(),
        folderFailuresAndWarnings(r),
        QuotaForecast.size(r.bytesCopied()),
        r.elapsedSeconds(),
        outcome);
  }

  /** ", 1 folder failed, 4 warnings", or nothing when there are none. */
  private static String folderFailuresAndWarnings(MigrationReport r) {
    String s =
        r.failedFolders() == 0
            ? ""
            : ", "
                + r.failedFolders()
                + (r.failedFolders() == 1 ? " folder" : " folders")
                + " failed";
    return r.warnings() == 0
        ? s
        : s + ", " + r.warnings() + (r.warnings() == 1 ? " warning" : " warnings");
  }

  /** How a stored run ended: its exit code and, unless 0, why. */
  public static void printOutcome(MigrationReport r, PrintStream out) {
    if (r.exitCode() == null) {
      out.println(
          "Exit code: unknown (no report file for this run on this machine; counts from the job store).");
    } else if (r.reason() == null) {
      out.println("Exit code: " + r.exitCode());
    } else {
      out.println("Exit code: " + r.exitCode() + ": " + r.reason());
    }
  }

  /** What a re-run changed of the folder's earlier copies, one line each (issue 19). */
  static java.util.List<String> followed(FolderTally f) {
    java.util.List<String> lines = new java.util.ArrayList<>();
    if (f.flagsUpdated > 0 || f.flagsKept > 0) {
      lines.add(
          String.format(
              Locale.ROOT,
              "flags: %d updated from the source, %d kept as changed at the destination",
              f.flagsUpdated,
              f.flagsKept));
    }
    if (f.moved > 0) {
      lines.add(f.moved + " moved here at the destination, as at the source (--mirror)");
    }
    if (f.expunged > 0) {
      lines.add(f.expunged + " expunged at the destination, gone from the source (--mirror)");
    }
    if (f.movesSeen > 0) {
      lines.add(
          f.movesSeen
              + " copied here that were copied before from another folder: moved (or copied)"
              + " at the source; the old copies stay (--mirror moves them)");
    }
    return lines;
  }

  public static void print(MigrationReport r, PrintStream out) {
    String job = r.jobName() == null ? "" : "job " + r.jobName() + ": ";
    out.printf(
        "%nmailferry: %s%s → %s (execution %d, %s)%n",
        job, r.from(), r.to(), r.jobExecutionId(), r.status());
    out.printf(
        "%-40s %9s %9s %9s %9s %9s%n",
        "folder → destination", "source", "copied", "present", "skipped", "failed");
    for (FolderTally f : r.folders()) {
      // Names come from the servers: escaped, so that no control character reaches the terminal.
      String name =
          Printable.escape(
              f.sourceFolder.equals(f.destFolder)
                  ? f.sourceFolder
                  : f.sourceFolder + " → " + f.destFolder);
      out.printf(
          "%-40s %9d %9d %9d %9d %9d%n",
          name, f.atSource, f.copied, f.alreadyThere, f.totalSkipped(), f.failedCount);
      f.skipped.forEach(
          (reason, n) -> out.printf("    skipped %d: %s%n", n, Printable.escape(reason)));
      if (f.folderFailure != null) {
        out.printf("    folder failed: %s%n", Printable.escape(f.folderFailure));
      }
      followed(f).forEach(line -> out.printf("    %s%n", line));
      f.warnings.forEach(
          (warning, n) -> out.printf("    warning ×%d: %s%n", n, Printable.escape(warning)));
      for (FolderTally.Failure failure : f.failed) {
        if (failure.uid() == 0) {
          out.printf(
              "    failed: %s%n",
              Printable.escape(failure.reason())); // no UID: the source did not say which
        } else {
          out.printf("    failed UID %d: %s%n", failure.uid(), Printable.escape(failure.reason()));
        }
      }
    }
    out.printf(
        "%-40s %9d %9d %9d %9d %9d%n",
        "total", r.atSource(), r.copied(), r.alreadyThere(), r.skipped(), r.failed());
    out.printf(
        Locale.ROOT,
        "%.1f MB copied in %.1f s: %.0f messages/s; at most %d source and %d destination connections%s.%n",
        r.bytesCopied() / 1e6,
        r.elapsedSeconds(),
        r.messagesPerSecond(),
        r.peakSourceConnections(),
        r.peakDestinationConnections(),
        folderFailuresAndWarnings(r).replaceFirst("^,", ";"));
    if (r.quotaLeft() != null) {
      QuotaForecast left = r.quotaLeft();
      out.printf(
          "The destination is full: %d messages (%s) copied, up to %d messages (%s) left to write.%n",
          r.copied(),
          QuotaForecast.size(r.bytesCopied()),
          left.messages(),
          QuotaForecast.size(left.bytes()));
      left.lines().forEach(line -> out.println("  now: " + line));
      for (QuotaForecast.Root root : left.overfilled()) {
        out.printf(
            "  needed: %s more in quota \"%s\"; free space or raise the quota, then run mailferry resume.%n",
            root.missing(), root.name());
      }
    } else if (r.quota() != null) {
      r.quota().lines().forEach(line -> out.println("before the run: " + line));
    }
  }
}

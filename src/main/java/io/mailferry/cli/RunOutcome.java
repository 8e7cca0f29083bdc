package io.mailferry.cli;

import io.mailferry.job.MigrationRun;
import io.mailferry.job.Migrations;
import io.mailferry.job.RunState;
import io.mailferry.mail.MailferryException;
import io.mailferry.quota.QuotaForecast;
import io.mailferry.report.MigrationReport;
import io.mailferry.report.RunReports;
import io.mailferry.report.SummaryPrinter;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The end of a run, whichever command started it: report file, summary, exit code. */
final class RunOutcome {

  private RunOutcome() {}

  /**
   * How a run ended: its report (with exit code and reason), and the failure to throw when it did
   * not end well (null for exit 0 and 1).
   */
  record Settled(MigrationReport report, MailferryException failure) {
    int exitCode() {
      return report.exitCode();
    }
  }

  /** Settles a run without throwing: for one account of many as for a single run. */
  static Settled settle(Migrations migrations, MigrationRun execution) {
    MigrationReport result = migrations.report(execution);
    try {
      int code = exitCode(execution, result);
      String why =
          code == ExitCodes.OK
              ? null
              : result.failedFolders() == 0
                  ? result.failed() + " messages failed; the summary and the report list them."
                  : result.failed()
                      + " messages and "
                      + result.failedFolders()
                      + (result.failedFolders() == 1 ? " folder" : " folders")
                      + " failed; the summary and the report list them.";
      return new Settled(result.withOutcome(code, why), null);
    } catch (MailferryException e) {
      return new Settled(result.withOutcome(e.exitCode(), e.getMessage()), e);
    }
  }

  /**
   * Writes the run's report into the state directory (and to --report FILE), prints the summary
   * (one line with --quiet), and returns the exit code or throws the failure for FailureHandler.
   */
  static int finish(
      Migrations migrations,
      MigrationRun execution,
      Path reportFile,
      Path stateDir,
      MailferryCommand root) {
    return finish(migrations, execution, reportFile, stateDir, root.quiet, root.out, root.err);
  }

  /** The same into given streams: one account of a bulk run prints into its own buffer. */
  static int finish(
      Migrations migrations,
      MigrationRun execution,
      Path reportFile,
      Path stateDir,
      boolean quiet,
      PrintStream out,
      PrintStream err) {
    Settled settled = settle(migrations, execution);
    MigrationReport result = settled.report();
    Path stored = store(stateDir, result, err);
    if (quiet) {
      out.println(SummaryPrinter.oneLine(result));
    } else {
      SummaryPrinter.print(result, out);
      if (stored != null) {
        out.println("Report: " + stored);
      }
    }
    if (reportFile != null) {
      try {
        Files.writeString(reportFile, RunReports.toJson(result));
      } catch (java.io.IOException e) {
        throw new MailferryException.BadConfiguration(
            "Cannot write the report " + reportFile + ": " + e.getMessage() + ".", e);
      }
    }
    if (settled.failure() != null) {
      throw settled.failure();
    }
    return settled.exitCode();
  }

  /** The report file is a record of the run, not the run: failing to write it only warns. */
  private static Path store(Path stateDir, MigrationReport result, PrintStream err) {
    try {
      return RunReports.write(stateDir, result);
    } catch (UncheckedIOException e) {
      err.println("mailferry: warning: " + e.getMessage());
      return null;
    }
  }

  /** What a full destination leaves: copied, left, and how much room is missing. */
  private static String left(MigrationReport r) {
    QuotaForecast left = r.quotaLeft();
    StringBuilder s =
        new StringBuilder()
            .append(r.copied())
            .append(" messages copied, up to ")
            .append(left.messages())
            .append(" (")
            .append(QuotaForecast.size(left.bytes()))
            .append(") left");
    for (QuotaForecast.Root root : left.overfilled()) {
      s.append("; quota \"").append(root.name()).append("\" lacks ").append(root.missing());
    }
    return s.append(". Free space or raise the quota, then run mailferry resume.").toString();
  }

  private static int exitCode(MigrationRun execution, MigrationReport result) {
    if (execution.state() == RunState.COMPLETED) {
      return result.failed() > 0 || result.failedFolders() > 0
          ? ExitCodes.SOME_FAILED
          : ExitCodes.OK;
    }
    if (execution.state() == RunState.STOPPED) {
      throw new MailferryException.Temporary(
          "Stopped on request after the last committed chunk; "
              + "run the same command again, or mailferry resume, to continue.",
          null);
    }
    for (Throwable t : execution.failures()) {
      MailferryException known = FailureHandler.find(t);
      if (known instanceof MailferryException.DestinationFull && result.quotaLeft() != null) {
        throw new MailferryException.DestinationFull(
            known.getMessage() + " " + left(result), known);
      }
      if (known != null) {
        throw known;
      }
    }
    List<Throwable> failures = execution.failures();
    String why = failures.isEmpty() ? execution.exitDescription() : failures.get(0).getMessage();
    throw new MailferryException.Temporary(
        "The migration stopped ("
            + execution.state().name().toLowerCase()
            + "): "
            + why
            + " Run the same command again to resume.",
        null);
  }
}

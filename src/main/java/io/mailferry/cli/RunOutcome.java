package io.mailferry.cli;

import io.mailferry.job.MigrationLauncher;
import io.mailferry.mail.MailferryException;
import io.mailferry.report.MigrationReport;
import io.mailferry.report.QuotaForecast;
import io.mailferry.report.SummaryPrinter;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** The end of a run, whichever command started it: summary, JSON report, exit code. */
final class RunOutcome {

  private RunOutcome() {}

  static int finish(MigrationLauncher launcher, JobExecution execution, Path report, PrintStream out) {
    MigrationReport result = launcher.report(execution);
    SummaryPrinter.print(result, out);
    if (report != null) {
      try {
        JsonMapper json = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
        Files.writeString(report, json.writeValueAsString(result));
      } catch (java.io.IOException e) {
        throw new MailferryException.BadConfiguration(
            "Cannot write the report " + report + ": " + e.getMessage() + ".", e);
      }
    }
    return exitCode(execution, result);
  }

  /** What a full destination leaves: copied, left, and how much room is missing. */
  private static String left(MigrationReport r) {
    QuotaForecast left = r.quotaLeft();
    StringBuilder s = new StringBuilder().append(r.copied()).append(" messages copied, up to ")
        .append(left.messages()).append(" (").append(QuotaForecast.size(left.bytes())).append(") left");
    for (QuotaForecast.Root root : left.overfilled()) {
      s.append("; quota \"").append(root.name()).append("\" lacks ").append(root.missing());
    }
    return s.append(". Free space or raise the quota, then run mailferry resume.").toString();
  }

  private static int exitCode(JobExecution execution, MigrationReport result) {
    if (execution.getStatus() == BatchStatus.COMPLETED) {
      return result.failed() > 0 ? ExitCodes.SOME_FAILED : ExitCodes.OK;
    }
    if (execution.getStatus() == BatchStatus.STOPPED) {
      throw new MailferryException.Temporary("Stopped on request after the last committed chunk; "
          + "run the same command again, or mailferry resume, to continue.", null);
    }
    for (Throwable t : execution.getAllFailureExceptions()) {
      MailferryException known = FailureHandler.find(t);
      if (known instanceof MailferryException.DestinationFull && result.quotaLeft() != null) {
        throw new MailferryException.DestinationFull(known.getMessage() + " " + left(result), known);
      }
      if (known != null) {
        throw known;
      }
    }
    List<Throwable> failures = execution.getAllFailureExceptions();
    String why = failures.isEmpty() ? execution.getExitStatus().getExitDescription() : failures.get(0).getMessage();
    throw new MailferryException.Temporary("The migration stopped (" + execution.getStatus().name().toLowerCase()
        + "): " + why + " Run the same command again to resume.", null);
  }
}

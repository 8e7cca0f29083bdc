package io.mailferry.cli;

import io.mailferry.job.MigrationLauncher;
import io.mailferry.job.MigrationParameters;
import io.mailferry.mail.MailferryException;
import io.mailferry.report.MigrationReport;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import org.springframework.batch.core.job.JobExecution;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "status", description = "List migrations: id, from → to, state, messages and bytes, times, why it ended.")
final class StatusCommand implements Callable<Integer> {

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  @ParentCommand MailferryCommand parent;

  @Mixin StoreArgs store;

  @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "newest N executions (default 20)")
  int limit;

  @Option(names = "--workers", description = "list the remote workers and the folders each one copies now")
  boolean workers;

  @Override
  public Integer call() {
    if (workers && store.db == null) {
      throw new MailferryException.BadUsage("--workers lists the workers of a shared PostgreSQL job store: add --db.");
    }
    try (var context = store.open(parent.env)) {
      if (workers) {
        WorkerStatus.print(context, parent.out);
        return ExitCodes.OK;
      }
      MigrationLauncher launcher = context.getBean(MigrationLauncher.class);
      var executions = launcher.executions();
      if (executions.isEmpty()) {
        parent.out.println("No migrations yet.");
        return ExitCodes.OK;
      }
      parent.out.printf("%5s  %-9s  %-60s  %15s  %15s  %-19s  %-19s  %s%n", "id", "state", "from → to",
          "messages", "MB copied", "started", "ended", "exit");
      for (JobExecution e : executions.stream().limit(limit).toList()) {
        MigrationReport r = launcher.report(e);
        long done = r.copied() + r.alreadyThere();
        parent.out.printf("%5d  %-9s  %-60s  %15s  %15s  %-19s  %-19s  %s%n", e.getId(), e.getStatus(),
            e.getJobParameters().getString(MigrationParameters.FROM) + " → "
                + e.getJobParameters().getString(MigrationParameters.TO),
            done + "/" + r.atSource(),
            String.format(java.util.Locale.ROOT, "%.1f/%.1f", r.bytesCopied() / 1e6, r.bytesAtSource() / 1e6),
            time(e.getStartTime()), time(e.getEndTime()),
            reason(e));
      }
      return ExitCodes.OK;
    }
  }

  private static String time(java.time.LocalDateTime t) {
    return t == null ? "-" : TIME.format(t);
  }

  /** The first line of the exit description, without the exception class Spring Batch puts first. */
  private static String reason(JobExecution e) {
    String d = e.getExitStatus().getExitDescription();
    if (d == null || d.isBlank()) {
      return e.getExitStatus().getExitCode();
    }
    String line = d.lines().findFirst().orElse("");
    int colon = line.indexOf(": ");
    if (colon > 0 && line.substring(0, colon).matches("[\\w.$]+(Exception|Error)")) {
      line = line.substring(colon + 2);
    }
    return line.length() > 140 ? line.substring(0, 137) + "..." : line;
  }
}

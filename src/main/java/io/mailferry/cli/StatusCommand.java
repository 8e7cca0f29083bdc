package io.mailferry.cli;

import io.mailferry.job.MigrationRun;
import io.mailferry.job.Migrations;
import io.mailferry.mail.MailferryException;
import io.mailferry.report.MigrationReport;
import io.mailferry.report.RunReports;
import java.io.PrintStream;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "status",
    description =
        "What is running now (with its progress), the last outcome of each job "
            + "(from → to, or its job file), and the newest executions: id, state, messages and bytes, times, exit code.")
final class StatusCommand implements Callable<Integer> {

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
  private static final String ROW = "%5s  %-9s  %-60s  %15s  %15s  %-19s  %-19s  %s%n";

  @ParentCommand MailferryCommand parent;

  @Mixin StoreArgs store;

  @Option(
      names = "--limit",
      paramLabel = "N",
      defaultValue = "20",
      description = "newest N executions (default 20)")
  int limit;

  @Option(
      names = "--workers",
      description = "list the remote workers and the folders each one copies now")
  boolean workers;

  @Override
  public Integer call() {
    if (workers && store.db == null) {
      throw new MailferryException.BadUsage(
          "--workers lists the workers of a shared PostgreSQL job store: add --db.");
    }
    try (var context = store.open(parent.env)) {
      if (workers) {
        WorkerStatus.print(context, parent.out);
        return ExitCodes.OK;
      }
      Migrations migrations = context.getBean(Migrations.class);
      List<MigrationRun> executions = migrations.runs();
      if (executions.isEmpty()) {
        parent.out.println("No migrations yet.");
        return ExitCodes.OK;
      }
      PrintStream out = parent.out;
      running(migrations, executions, out);
      lastOutcomes(migrations, executions, out);
      out.println();
      out.printf("Executions (newest %d):%n", limit);
      out.printf(
          ROW, "id", "state", "from → to", "messages", "MB copied", "started", "ended", "exit");
      for (MigrationRun e : executions.stream().limit(limit).toList()) {
        MigrationReport r = migrations.report(e);
        out.printf(
            ROW,
            e.id(),
            e.state(),
            job(e),
            done(r),
            String.format(Locale.ROOT, "%.1f/%.1f", r.bytesCopied() / 1e6, r.bytesAtSource() / 1e6),
            time(e.started()),
            time(e.ended()),
            exit(e));
      }
      return ExitCodes.OK;
    }
  }

  /** Executions the job store shows as running; a process holds the pair's lock unless it died. */
  private void running(Migrations migrations, List<MigrationRun> executions, PrintStream out) {
    List<MigrationRun> started = executions.stream().filter(e -> e.state().running()).toList();
    if (started.isEmpty()) {
      out.println("Nothing is running.");
      return;
    }
    out.println("Running now:");
    for (MigrationRun e : started) {
      MigrationReport r = migrations.report(e);
      String who =
          migrations.runningIn(e).orElse("no live process: it crashed; mailferry resume " + e.id());
      long done = r.copied() + r.alreadyThere() + r.skipped() + r.failed();
      out.printf(
          Locale.ROOT,
          "%5d  %s: %d of %d messages done, %.1f MB copied, since %s (%s)%n",
          e.id(),
          job(e),
          done,
          Math.max(done, r.atSource()),
          r.bytesCopied() / 1e6,
          time(e.started()),
          who);
    }
  }

  /** Per job (its job-file name, else from → to), the newest execution. */
  private void lastOutcomes(Migrations migrations, List<MigrationRun> executions, PrintStream out) {
    Map<String, MigrationRun> newest = new LinkedHashMap<>();
    executions.forEach(e -> newest.putIfAbsent(job(e), e));
    out.println();
    out.println("Last outcome per job:");
    String row = "%-60s  %5s  %-9s  %4s  %-19s  %15s  %10s%n";
    out.printf(row, "job", "id", "state", "exit", "ended", "messages", "MB copied");
    newest.forEach(
        (job, e) -> {
          MigrationReport r = migrations.report(e);
          out.printf(
              row,
              job,
              e.id(),
              e.state(),
              stored(e).map(x -> String.valueOf(x.exitCode())).orElse("-"),
              time(e.ended()),
              done(r),
              String.format(Locale.ROOT, "%.1f", r.bytesCopied() / 1e6));
        });
  }

  private static String job(MigrationRun e) {
    String name = e.jobName();
    String pair = e.pair();
    return name == null ? pair : name + " (" + pair + ")";
  }

  private static String done(MigrationReport r) {
    return (r.copied() + r.alreadyThere()) + "/" + r.atSource();
  }

  private static String time(java.time.LocalDateTime t) {
    return t == null ? "-" : TIME.format(t);
  }

  /** The exit code from the run's report file, else why the job store says it ended. */
  private String exit(MigrationRun e) {
    return stored(e)
        .map(
            r ->
                r.reason() == null
                    ? String.valueOf(r.exitCode())
                    : r.exitCode() + ": " + shorten(r.reason()))
        .orElseGet(() -> reason(e));
  }

  /** The run's report file with its exit code, if this machine ran it and the file is readable. */
  private java.util.Optional<MigrationReport> stored(MigrationRun e) {
    try {
      return RunReports.read(store.stateDir(), e.id()).filter(r -> r.exitCode() != null);
    } catch (RuntimeException unreadable) {
      return java.util.Optional.empty();
    }
  }

  /**
   * The first line of the exit description, without the exception class Spring Batch puts first.
   */
  private static String reason(MigrationRun e) {
    String d = e.exitDescription();
    if (d == null || d.isBlank()) {
      return e.exitCode();
    }
    String line = d.lines().findFirst().orElse("");
    int colon = line.indexOf(": ");
    if (colon > 0 && line.substring(0, colon).matches("[\\w.$]+(Exception|Error)")) {
      line = line.substring(colon + 2);
    }
    return shorten(line);
  }

  private static String shorten(String line) {
    return line.length() > 140 ? line.substring(0, 137) + "..." : line;
  }
}

package io.mailferry.cli;

import io.mailferry.job.Migrations;
import io.mailferry.mail.MailferryException;
import io.mailferry.report.MigrationReport;
import io.mailferry.report.RunReports;
import io.mailferry.report.SummaryPrinter;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "report",
    sortOptions = false,
    description =
        "Print the summary of the last run, or of execution RUN: per folder what was copied, skipped "
            + "and failed (with reasons), the quota lines, the times and the exit code. Read from the report file "
            + "each run leaves in <state-dir>/reports/, else from the job store.")
final class ReportCommand implements Callable<Integer> {

  @ParentCommand MailferryCommand parent;

  @Parameters(
      arity = "0..1",
      paramLabel = "RUN",
      description = "an execution id from mailferry status")
  Long run;

  @Option(names = "--json", description = "print the report as JSON (the schema: --schema)")
  boolean json;

  @Option(names = "--schema", description = "print the JSON Schema of the report and exit")
  boolean schema;

  @Mixin StoreArgs store;

  @Override
  public Integer call() {
    if (schema) {
      parent.out.print(RunReports.schema());
      return ExitCodes.OK;
    }
    Optional<MigrationReport> report = stored().or(this::fromJobStore);
    if (report.isEmpty()) {
      if (run != null) {
        throw new MailferryException.BadUsage(
            "There is no execution " + run + " (see mailferry status).");
      }
      parent.out.println("No runs yet.");
      return ExitCodes.OK;
    }
    if (json) {
      parent.out.print(RunReports.toJson(report.get()));
    } else {
      SummaryPrinter.print(report.get(), parent.out);
      SummaryPrinter.printOutcome(report.get(), parent.out);
    }
    return ExitCodes.OK;
  }

  private Optional<MigrationReport> stored() {
    try {
      return run == null
          ? RunReports.latest(store.stateDir())
          : RunReports.read(store.stateDir(), run);
    } catch (UncheckedIOException | tools.jackson.core.JacksonException e) {
      throw new MailferryException.BadConfiguration("Cannot read the report: " + e.getMessage(), e);
    }
  }

  /**
   * Without a report file (another machine ran it, or the file was removed): the counts the job
   * store has.
   */
  private Optional<MigrationReport> fromJobStore() {
    try (var context = store.open(parent.env)) {
      Migrations migrations = context.getBean(Migrations.class);
      var execution = run != null ? migrations.run(run) : migrations.runs().stream().findFirst();
      return execution.map(migrations::report);
    }
  }
}

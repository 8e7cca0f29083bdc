package io.mailferry.cli;

import io.mailferry.config.Credentials;
import io.mailferry.config.MigrationSettings;
import io.mailferry.job.MigrationRun;
import io.mailferry.job.Migrations;
import io.mailferry.mail.MailferryException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "resume",
    sortOptions = false,
    description =
        "Continue a failed, stopped or crashed migration from its last committed chunk "
            + "(the newest one when no ID is given). Passwords are given again as for migrate.")
final class ResumeCommand implements Callable<Integer> {

  @ParentCommand MailferryCommand parent;

  @Parameters(
      arity = "0..1",
      paramLabel = "ID",
      description = "an execution id from mailferry status")
  Long id;

  @Mixin SecretArgs secrets;
  @Mixin StoreArgs store;

  @Option(names = "--report", paramLabel = "FILE", description = "also write the report as JSON")
  Path report;

  @Override
  public Integer call() {
    try (var context = store.open(parent.env)) {
      Migrations migrations = context.getBean(Migrations.class);
      MigrationRun execution =
          id != null ? migrations.run(id).orElse(null) : newestUnfinished(migrations);
      if (execution == null) {
        if (id != null) {
          throw new MailferryException.BadUsage(
              "There is no execution " + id + " (see mailferry status).");
        }
        parent.out.println("mailferry: nothing to resume: every migration completed.");
        return ExitCodes.OK;
      }
      if (execution.state().finished()) {
        throw new MailferryException.BadUsage(
            "Execution "
                + execution.id()
                + " is "
                + execution.state().name().toLowerCase()
                + ": there is nothing to resume.");
      }
      MigrationSettings settings = migrations.settings(execution);
      Credentials credentials = context.getBean(Credentials.class);
      secrets.addTo(credentials, settings, parent.env);
      parent.err.println(
          "mailferry: resuming execution "
              + execution.id()
              + ": "
              + settings.from()
              + " → "
              + settings.to());
      GracefulStop stop = GracefulStop.install(context, parent.err);
      try (stop) {
        MigrationRun resumed = migrations.resume(execution);
        return RunOutcome.finish(migrations, resumed, report, store.stateDir(), parent);
      }
    }
  }

  /**
   * The newest execution of each instance decides: an instance resumed since is not resumed twice.
   */
  private static MigrationRun newestUnfinished(Migrations migrations) {
    java.util.Set<Long> seen = new java.util.HashSet<>();
    for (MigrationRun e : migrations.runs()) {
      if (seen.add(e.instanceId()) && !e.state().finished()) {
        return e;
      }
    }
    return null;
  }
}

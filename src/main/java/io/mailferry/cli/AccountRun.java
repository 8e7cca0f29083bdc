package io.mailferry.cli;

import io.mailferry.config.Credentials;
import io.mailferry.job.MigrationRun;
import io.mailferry.job.Migrations;
import io.mailferry.mail.MailferryException;
import io.mailferry.report.MigrationReport;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import org.springframework.context.ApplicationContext;

/**
 * One account of a job file, run as its migrate (or backup) command line would run it: the same
 * launcher, summary and exit code. Failures are returned, not thrown, so that a bulk run can go on.
 */
final class AccountRun {

  /**
   * @param report the run's report, or null when it failed before there was one
   * @param failure why it did not exit 0 (a MailferryException, or an unexpected error), or null
   */
  record Outcome(int exitCode, MigrationReport report, RuntimeException failure) {

    String reason() {
      if (failure == null) {
        return exitCode == ExitCodes.SOME_FAILED
            ? "some messages or folders failed; the summary lists them"
            : null;
      }
      return failure instanceof MailferryException
          ? failure.getMessage()
          : "unexpected error: " + failure;
    }
  }

  private AccountRun() {}

  static Outcome execute(
      String jobName,
      JobFiles.Account account,
      ApplicationContext context,
      Map<String, String> env,
      PrintStream out) {
    Migrations migrations = context.getBean(Migrations.class);
    MigrationReport report = null;
    if (account.spec().refusal() != null) {
      return new Outcome(
          ExitCodes.CONFIG,
          null,
          new MailferryException.BadConfiguration(account.spec().refusal()));
    }
    try {
      Credentials credentials = new Credentials();
      JobSecrets.addTo(credentials, account, env);
      context.getBean(Credentials.class).putAll(credentials);
      if (account.command().run.dryRun) {
        DryRun.print(account.settings(), context.getBean(Credentials.class), context, out);
        return new Outcome(ExitCodes.OK, null, null);
      }
      boolean remote = account.command().remoteWorkers(account.settings());
      MigrationRun execution = migrations.start(account.settings(), jobName, remote);
      report = migrations.report(execution);
      var properties = context.getEnvironment();
      Path stateDir = Path.of(properties.getRequiredProperty("mailferry.state-dir"));
      // --quiet reaches the job store's context as the console level
      // (MailferryCommand.outputProperties).
      boolean quiet = "ERROR".equals(properties.getProperty("mailferry.console-level"));
      return new Outcome(
          RunOutcome.finish(
              migrations, execution, account.command().run.report, stateDir, quiet, out, out),
          report,
          null);
    } catch (RuntimeException e) {
      MailferryException known = FailureHandler.find(e);
      if (known != null) {
        return new Outcome(known.exitCode(), report, known);
      }
      org.slf4j.LoggerFactory.getLogger("mailferry.failures")
          .error(
              "unexpected failure of "
                  + account.settings().from()
                  + " → "
                  + account.settings().to(),
              e);
      return new Outcome(ExitCodes.SOFTWARE, report, e);
    }
  }
}

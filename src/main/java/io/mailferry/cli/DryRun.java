package io.mailferry.cli;

import io.mailferry.config.Credentials;
import io.mailferry.config.MigrationSettings;
import io.mailferry.config.QuotaPolicy;
import io.mailferry.job.MigrationPlanner;
import io.mailferry.job.MigrationRuntime;
import io.mailferry.job.PendingWork;
import io.mailferry.ledger.Ledger;
import io.mailferry.mail.Printable;
import io.mailferry.quota.QuotaForecast;
import io.mailferry.quota.QuotaPreflight;
import java.io.PrintStream;
import java.nio.file.Path;
import org.springframework.context.ApplicationContext;

/**
 * --dry-run: the plan, folder by folder, with what is left to copy, and the destination's quota
 * lines as a real run prints them. Writes nothing anywhere.
 */
final class DryRun {

  private DryRun() {}

  static void print(MigrationSettings settings, Credentials credentials, ApplicationContext context, PrintStream out) {
    Ledger ledger = context.getBean(Ledger.class);
    Path spool = Path.of(context.getEnvironment().getProperty("mailferry.state-dir"), "spool");
    try (MigrationRuntime runtime = new MigrationRuntime(settings, credentials, ledger, spool)) {
      PendingWork work = PendingWork.of(runtime, MigrationPlanner.plan(runtime));
      out.printf("Plan: %s → %s (dry run: nothing is written)%n", settings.from(), settings.to());
      out.printf("%-40s %-30s %9s %12s%n", "source folder", "destination folder", "to copy", "bytes");
      for (PendingWork.Folder folder : work.folders()) {
        out.printf("%-40s %-30s %9d %12d%n", Printable.escape(folder.plan().sourceLabel()),
            Printable.escape(folder.plan().destName()), folder.messages(),
            folder.bytes());
      }
      out.printf("%-71s %9d %12d%n", "total", work.messages(), work.bytes());
      QuotaPolicy policy = settings.quota();
      if (policy.action() != QuotaPolicy.Action.IGNORE) {
        QuotaForecast forecast = QuotaPreflight.forecast(runtime.sink(), work.folders());
        forecast.lines().forEach(out::println);
        boolean stop = policy.action() == QuotaPolicy.Action.STOP;
        forecast.warnings(policy.warnPercent(), stop).forEach(w -> out.println("warning: " + w));
        if (stop && !forecast.overfilled().isEmpty()) {
          out.println("With --quota-policy stop this migration would not start (exit 73).");
        }
      }
    }
  }
}

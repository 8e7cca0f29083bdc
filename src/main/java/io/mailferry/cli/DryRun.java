package io.mailferry.cli;

import io.mailferry.config.Credentials;
import io.mailferry.config.MigrationSettings;
import io.mailferry.config.QuotaPolicy;
import io.mailferry.job.Migrations;
import io.mailferry.job.PendingWork;
import io.mailferry.mail.Printable;
import io.mailferry.quota.QuotaForecast;
import java.io.PrintStream;
import org.springframework.context.ApplicationContext;

/**
 * --dry-run: the plan, folder by folder, with what is left to copy, and the destination's quota
 * lines as a real run prints them. Writes nothing anywhere.
 */
final class DryRun {

  private DryRun() {}

  static void print(
      MigrationSettings settings,
      Credentials credentials,
      ApplicationContext context,
      PrintStream out) {
    Migrations.Preview preview = context.getBean(Migrations.class).preview(settings, credentials);
    PendingWork work = preview.work();
    out.printf("Plan: %s → %s (dry run: nothing is written)%n", settings.from(), settings.to());
    out.printf("%-40s %-30s %9s %12s%n", "source folder", "destination folder", "to copy", "bytes");
    for (PendingWork.Folder folder : work.folders()) {
      out.printf(
          "%-40s %-30s %9d %12d%n",
          Printable.escape(folder.plan().sourceLabel()),
          Printable.escape(folder.plan().destName()),
          folder.messages(),
          folder.bytes());
    }
    out.printf("%-71s %9d %12d%n", "total", work.messages(), work.bytes());
    QuotaForecast forecast = preview.forecast();
    if (forecast != null) {
      QuotaPolicy policy = settings.quota();
      forecast.lines().forEach(out::println);
      boolean stop = policy.action() == QuotaPolicy.Action.STOP;
      forecast.warnings(policy.warnPercent(), stop).forEach(w -> out.println("warning: " + w));
      if (stop && !forecast.overfilled().isEmpty()) {
        out.println("With --quota-policy stop this migration would not start (exit 73).");
      }
    }
  }
}

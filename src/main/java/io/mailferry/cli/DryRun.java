package io.mailferry.cli;

import io.mailferry.config.Credentials;
import io.mailferry.config.MigrationSettings;
import io.mailferry.config.QuotaPolicy;
import io.mailferry.job.FolderPlan;
import io.mailferry.job.Migrations;
import io.mailferry.job.PendingWork;
import io.mailferry.mail.Printable;
import io.mailferry.quota.QuotaForecast;
import io.mailferry.sync.MirrorPlan;
import java.io.PrintStream;
import org.springframework.context.ApplicationContext;

/**
 * --dry-run: the plan, folder by folder, with what is left to copy, and the destination's quota
 * lines as a real run prints them. Writes nothing anywhere.
 */
final class DryRun {

  private DryRun() {}

  /** What --mirror would do to this folder's copies: moves in, expunges, or the guard's hold. */
  static java.util.List<String> mirrorLines(MirrorPlan.Result mirror, FolderPlan folder) {
    java.util.List<String> lines = new java.util.ArrayList<>();
    long movesIn =
        mirror.moves().stream().filter(m -> m.toLedgerKey().equals(folder.ledgerKey())).count();
    if (movesIn > 0) {
      lines.add("--mirror would move " + movesIn + " here at the destination, as at the source");
    }
    var gone = mirror.expunges().get(folder.ledgerKey());
    if (gone != null) {
      lines.add(
          "--mirror would expunge " + gone.size() + " at the destination, gone from the source");
    }
    String held = mirror.held().get(folder.ledgerKey());
    if (held != null) {
      lines.add(held.replace("--mirror left the folder", "--mirror would leave the folder"));
    }
    return lines;
  }

  static void print(
      MigrationSettings settings,
      Credentials credentials,
      ApplicationContext context,
      PrintStream out) {
    Migrations.Preview preview = context.getBean(Migrations.class).preview(settings, credentials);
    PendingWork work = preview.work();
    out.printf("Plan: %s → %s (dry run: nothing is written)%n", settings.from(), settings.to());
    out.printf(
        "%-40s %-30s %9s %12s %9s%n",
        "source folder", "destination folder", "to copy", "bytes", "flags");
    MirrorPlan.Result mirror = preview.mirror();
    for (PendingWork.Folder folder : work.folders()) {
      out.printf(
          "%-40s %-30s %9d %12d %9d%n",
          Printable.escape(folder.plan().sourceLabel()),
          Printable.escape(folder.plan().destName()),
          folder.messages(),
          folder.bytes(),
          folder.flagChanges());
      if (mirror != null) {
        mirrorLines(mirror, folder.plan()).forEach(line -> out.println("    " + line));
      }
    }
    out.printf(
        "%-71s %9d %12d %9d%n",
        "total",
        work.messages(),
        work.bytes(),
        work.folders().stream().mapToLong(PendingWork.Folder::flagChanges).sum());
    out.println(
        "(flags: messages copied earlier whose flags changed at the source; the run merges them.)");
    QuotaForecast forecast = preview.forecast();
    // Moves that are not counted above: a moved message is "to copy" in its new folder unless
    // --mirror moves it, so the count above is at most what the run copies.
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

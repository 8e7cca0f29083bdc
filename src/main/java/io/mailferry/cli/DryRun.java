package io.mailferry.cli;

import io.mailferry.config.Credentials;
import io.mailferry.config.MigrationSettings;
import io.mailferry.job.FolderPlan;
import io.mailferry.job.MigrationPlanner;
import io.mailferry.job.MigrationRuntime;
import io.mailferry.ledger.Ledger;
import io.mailferry.mail.MessageRef;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.springframework.context.ApplicationContext;

/** --dry-run: the plan, folder by folder, with what is left to copy. Writes nothing anywhere. */
final class DryRun {

  private DryRun() {}

  static void print(MigrationSettings settings, Credentials credentials, ApplicationContext context, PrintStream out) {
    Ledger ledger = context.getBean(Ledger.class);
    Path spool = Path.of(context.getEnvironment().getProperty("mailferry.state-dir"), "spool");
    try (MigrationRuntime runtime = new MigrationRuntime(settings, credentials, ledger, spool)) {
      List<FolderPlan> plan = MigrationPlanner.plan(runtime);
      out.printf("Plan: %s → %s (dry run: nothing is written)%n", settings.from(), settings.to());
      out.printf("%-40s %-30s %9s %12s%n", "source folder", "destination folder", "to copy", "bytes");
      long totalMessages = 0;
      long totalBytes = 0;
      for (FolderPlan folder : plan) {
        long messages = 0;
        long bytes = 0;
        if (folder.selectable()) {
          try (var source = runtime.source().open(folder.source())) {
            Set<Long> known = ledger.knownUids(runtime.sourceAccount(), runtime.destAccount(),
                folder.sourceLabel(), source.uidValidity());
            for (MessageRef ref : source.listAfter(0, known::contains)) {
              if (!known.contains(ref.uid()) && (settings.includeDeleted() || !ref.isDeleted())) {
                messages++;
                bytes += ref.size();
              }
            }
          }
        }
        totalMessages += messages;
        totalBytes += bytes;
        out.printf("%-40s %-30s %9d %12d%n", folder.sourceLabel(), folder.destName(), messages, bytes);
      }
      out.printf("%-71s %9d %12d%n", "total", totalMessages, totalBytes);
    }
  }
}

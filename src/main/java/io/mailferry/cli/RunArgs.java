package io.mailferry.cli;

import io.mailferry.config.Following;
import io.mailferry.config.QuotaPolicy;
import io.mailferry.mail.MailferryException;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** How a job into an IMAP destination runs: the same options for migrate and restore. */
final class RunArgs {

  @Option(
      names = "--allow-plaintext",
      description = "allow a password over an unencrypted connection")
  boolean allowPlaintext;

  @Option(names = "--include-deleted", description = "also copy messages flagged \\Deleted")
  boolean includeDeleted;

  @Option(
      names = "--no-flag-sync",
      description =
          "leave the flags of earlier copies as they are (by default a re-run carries the source's"
              + " flag changes over, and keeps what was changed at the destination)")
  boolean noFlagSync;

  @Option(
      names = "--mirror",
      description =
          "follow expunges and moves at the source: remove from the destination what this job"
              + " copied and the source no longer has (never anything else); into IMAP, also"
              + " move what moved")
  boolean mirror;

  @Option(
      names = "--mirror-max-delete",
      paramLabel = "PERCENT",
      description =
          "with --mirror, leave a folder as it is when it would lose more than PERCENT of its"
              + " messages in one run (default 20)")
  Integer mirrorMaxDelete;

  @Option(
      names = "--max-connections",
      paramLabel = "N",
      description = "connections per account and side, at most (default 5, or the --preset's)")
  Integer maxConnections;

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      defaultValue = "120",
      description =
          "a server silent this long has lost the connection; it is retried (default ${DEFAULT-VALUE})")
  long timeoutSeconds;

  @Option(
      names = "--max-failures",
      paramLabel = "N",
      defaultValue = "100",
      description =
          "stop once N messages were refused by the destination (default ${DEFAULT-VALUE})")
  long maxFailures;

  @Option(
      names = "--quota-policy",
      paramLabel = "POLICY",
      defaultValue = "warn",
      description =
          "warn, stop (a job that would not fit the destination's quota exits 73 before writing) "
              + "or ignore (default ${DEFAULT-VALUE})")
  String quotaPolicy;

  @Option(
      names = "--quota-warn",
      paramLabel = "PERCENT",
      defaultValue = "90",
      description =
          "warn when a destination quota would be this full after the run (default ${DEFAULT-VALUE})")
  int quotaWarn;

  @Option(names = "--dry-run", description = "print the plan and write nothing")
  boolean dryRun;

  @Option(names = "--report", paramLabel = "FILE", description = "also write the report as JSON")
  Path report;

  @Mixin ThrottleArgs throttle = new ThrottleArgs();

  Following following() {
    if (mirrorMaxDelete != null && !mirror) {
      throw new MailferryException.BadUsage("--mirror-max-delete goes with --mirror.");
    }
    int maxDelete =
        mirrorMaxDelete == null ? Following.DEFAULT_MAX_DELETE_PERCENT : mirrorMaxDelete;
    if (maxDelete < 0 || maxDelete > 100) {
      throw new MailferryException.BadUsage("--mirror-max-delete must be a percentage, 0 to 100.");
    }
    return new Following(!noFlagSync, mirror, maxDelete);
  }

  int maxConnections() {
    Integer preset = throttle.presetMaxConnections();
    int n =
        maxConnections != null
            ? maxConnections
            : preset != null
                ? preset
                : io.mailferry.config.MigrationSettings.DEFAULT_MAX_CONNECTIONS;
    if (n < 1) {
      throw new MailferryException.BadUsage("--max-connections must be at least 1.");
    }
    return n;
  }

  long maxFailures() {
    if (maxFailures < 1) {
      throw new MailferryException.BadUsage("--max-failures must be at least 1.");
    }
    return maxFailures;
  }

  java.time.Duration timeout() {
    if (timeoutSeconds < 1) {
      throw new MailferryException.BadUsage("--timeout must be at least 1 second.");
    }
    return java.time.Duration.ofSeconds(timeoutSeconds);
  }

  QuotaPolicy quota() {
    QuotaPolicy.Action action =
        switch (quotaPolicy) {
          case "warn" -> QuotaPolicy.Action.WARN;
          case "stop" -> QuotaPolicy.Action.STOP;
          case "ignore" -> QuotaPolicy.Action.IGNORE;
          default ->
              throw new MailferryException.BadUsage("--quota-policy must be warn, stop or ignore.");
        };
    if (quotaWarn < 1 || quotaWarn > 100) {
      throw new MailferryException.BadUsage("--quota-warn must be between 1 and 100.");
    }
    return new QuotaPolicy(action, quotaWarn);
  }
}

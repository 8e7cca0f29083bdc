package io.mailferry.cli;

import io.mailferry.config.Credentials;
import io.mailferry.config.MigrationSettings;
import io.mailferry.config.SourceDeletion;
import io.mailferry.config.QuotaPolicy;
import io.mailferry.job.MigrationLauncher;
import io.mailferry.mail.ConnectionSettings;
import io.mailferry.mail.Endpoint;
import io.mailferry.mail.FolderPath;
import io.mailferry.mail.MailferryException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.springframework.batch.core.job.JobExecution;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "migrate", sortOptions = false,
    description = "Copy every folder and message of an IMAP account (or a POP3 mailbox) into an IMAP account, "
        + "faithfully. Re-running copies only what is new; an interrupted run continues where it stopped.")
class MigrateCommand implements Callable<Integer> {

  @ParentCommand
  MailferryCommand parent;

  @Option(names = "--from", required = true, paramLabel = "URL",
      description = "imap[s]://USER@HOST[:PORT] or pop3[s]://USER@HOST[:PORT]")
  String from;

  @Option(names = "--to", required = true, paramLabel = "URL", description = "imap[s]://USER@HOST[:PORT] (backup: a directory)")
  String to;

  @Mixin SecretArgs secrets;
  @Mixin StoreArgs store;

  @Option(names = "--from-auth", paramLabel = "MECH", defaultValue = "password",
      description = "password or xoauth2 (the secret is then an OAuth2 access token)")
  String fromAuth;

  @Option(names = "--to-auth", paramLabel = "MECH", defaultValue = "password") String toAuth;

  @Option(names = "--trust-cert", paramLabel = "FILE", description = "trust this PEM certificate on both sides")
  Path trustCert;

  @Option(names = "--from-trust-cert", paramLabel = "FILE") Path fromTrustCert;
  @Option(names = "--to-trust-cert", paramLabel = "FILE") Path toTrustCert;

  @Option(names = "--allow-plaintext", description = "allow a password over an unencrypted connection")
  boolean allowPlaintext;

  @Option(names = "--include", paramLabel = "GLOB", description = "copy only matching folders (repeatable)")
  List<String> includes = new ArrayList<>();

  @Option(names = "--exclude", paramLabel = "GLOB", description = "skip matching folders (repeatable)")
  List<String> excludes = new ArrayList<>();

  @Option(names = "--folder-map", paramLabel = "OLD=NEW", description = "rename a folder and its sub-folders")
  List<String> folderMaps = new ArrayList<>();

  @Option(names = "--to-folder", paramLabel = "NAME",
      description = "POP3 source: the destination folder (default INBOX)")
  String toFolder;

  @Option(names = "--delete-after-copy",
      description = "POP3 source: delete each message once its copy is stored and recorded")
  boolean deleteAfterCopy;

  @Option(names = "--delete-older-than", paramLabel = "DAYS",
      description = "POP3 source: delete copied messages once they are DAYS old")
  Integer deleteOlderThanDays;

  @Option(names = "--include-deleted", description = "also copy messages flagged \\Deleted")
  boolean includeDeleted;

  @Option(names = "--max-connections", paramLabel = "N", defaultValue = "5",
      description = "connections per account, at most (default ${DEFAULT-VALUE})")
  int maxConnections;

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "120",
      description = "a server silent this long has lost the connection; it is retried (default ${DEFAULT-VALUE})")
  long timeoutSeconds;

  @Option(names = "--max-failures", paramLabel = "N", defaultValue = "100",
      description = "stop once N messages were refused by the destination (default ${DEFAULT-VALUE})")
  long maxFailures;

  @Option(names = "--quota-policy", paramLabel = "POLICY", defaultValue = "warn",
      description = "warn, stop (a job that would not fit the destination's quota exits 73 before writing) "
          + "or ignore (default ${DEFAULT-VALUE})")
  String quotaPolicy;

  @Option(names = "--quota-warn", paramLabel = "PERCENT", defaultValue = "90",
      description = "warn when a destination quota would be this full after the run (default ${DEFAULT-VALUE})")
  int quotaWarn;

  @Option(names = "--dry-run", description = "print the plan and write nothing") boolean dryRun;

  @Option(names = "--report", paramLabel = "FILE", description = "also write the report as JSON")
  Path report;

  @Override
  public Integer call() {
    MigrationSettings settings = settings();
    Credentials credentials = new Credentials();
    secrets.addTo(credentials, settings.from(), settings.to(), parent.env);
    try (var context = store.open(parent.env)) {
      context.getBean(Credentials.class).putAll(credentials);
      if (dryRun) {
        DryRun.print(settings, context.getBean(Credentials.class), context, parent.out);
        return ExitCodes.OK;
      }
      MigrationLauncher launcher = context.getBean(MigrationLauncher.class);
      try (var stop = GracefulStop.install(context, parent.err)) {
        JobExecution execution = launcher.run(settings);
        return RunOutcome.finish(launcher, execution, report, parent.out);
      }
    }
  }

  MigrationSettings settings() {
    Endpoint source = Endpoint.parse(from, "source");
    Endpoint destination = destination();
    if (source.isArchive()) {
      throw new MailferryException.BadUsage("The source must be an imap[s]:// or pop3[s]:// account.");
    }
    boolean pop3 = source.protocol() == Endpoint.Protocol.POP3;
    if (!pop3 && (toFolder != null || deleteAfterCopy || deleteOlderThanDays != null)) {
      throw new MailferryException.BadUsage("--to-folder, --delete-after-copy and --delete-older-than are for a"
          + " POP3 source; for an IMAP source use --folder-map.");
    }
    if (maxFailures < 1) {
      throw new MailferryException.BadUsage("--max-failures must be at least 1.");
    }
    if (maxConnections < 1) {
      throw new MailferryException.BadUsage("--max-connections must be at least 1.");
    }
    return new MigrationSettings(source, destination,
        connection(fromAuth, fromTrustCert != null ? fromTrustCert : trustCert, "--from-auth"),
        connection(toAuth, toTrustCert != null ? toTrustCert : trustCert, "--to-auth"),
        includes, excludes, folderMap(), includeDeleted, maxConnections, maxFailures, sourceDeletion(), quotaPolicy(), mirror());
  }

  /** migrate writes to an IMAP account; backup overrides this with its archive directory. */
  Endpoint destination() {
    Endpoint destination = Endpoint.parse(to, "destination");
    if (destination.protocol() != Endpoint.Protocol.IMAP) {
      throw new MailferryException.BadUsage("migrate writes to an IMAP account: the destination must be imap://"
          + " or imaps://, not " + destination.scheme() + "://.");
    }
    return destination;
  }

  boolean mirror() {
    return false;
  }

  private SourceDeletion sourceDeletion() {
    if (deleteAfterCopy && deleteOlderThanDays != null) {
      throw new MailferryException.BadUsage("Choose one of --delete-after-copy and --delete-older-than.");
    }
    if (deleteOlderThanDays != null && deleteOlderThanDays < 1) {
      throw new MailferryException.BadUsage("--delete-older-than takes a number of days, at least 1.");
    }
    return deleteAfterCopy ? SourceDeletion.afterCopy()
        : deleteOlderThanDays != null ? SourceDeletion.olderThan(deleteOlderThanDays) : SourceDeletion.NONE;
  }

  private QuotaPolicy quotaPolicy() {
    QuotaPolicy.Action action = switch (quotaPolicy) {
      case "warn" -> QuotaPolicy.Action.WARN;
      case "stop" -> QuotaPolicy.Action.STOP;
      case "ignore" -> QuotaPolicy.Action.IGNORE;
      default -> throw new MailferryException.BadUsage("--quota-policy must be warn, stop or ignore.");
    };
    if (quotaWarn < 1 || quotaWarn > 100) {
      throw new MailferryException.BadUsage("--quota-warn must be between 1 and 100.");
    }
    return new QuotaPolicy(action, quotaWarn);
  }

  private ConnectionSettings connection(String auth, Path cert, String option) {
    if (!auth.equals("password") && !auth.equals("xoauth2")) {
      throw new MailferryException.BadUsage(option + " must be password or xoauth2.");
    }
    if (cert != null && !Files.isReadable(cert)) {
      throw new MailferryException.BadConfiguration("Cannot read the certificate " + cert + ".");
    }
    Path absolute = cert == null ? null : cert.toAbsolutePath();
    if (timeoutSeconds < 1) {
      throw new MailferryException.BadUsage("--timeout must be at least 1 second.");
    }
    return ConnectionSettings.defaults().withAllowPlaintext(allowPlaintext).withTrustCert(absolute)
        .withXoauth2(auth.equals("xoauth2")).withIoTimeout(java.time.Duration.ofSeconds(timeoutSeconds));
  }

  private Map<FolderPath, FolderPath> folderMap() {
    Map<FolderPath, FolderPath> map = new LinkedHashMap<>();
    if (toFolder != null) {
      if (toFolder.isBlank()) {
        throw new MailferryException.BadUsage("--to-folder needs a folder name.");
      }
      map.put(FolderPath.INBOX, FolderPath.parse(toFolder)); // a POP3 mailbox is one folder: INBOX
    }
    for (String entry : folderMaps) {
      int eq = entry.indexOf('=');
      if (eq <= 0 || eq == entry.length() - 1) {
        throw new MailferryException.BadUsage("--folder-map takes OLD=NEW, not '" + entry + "'.");
      }
      map.put(FolderPath.parse(entry.substring(0, eq)), FolderPath.parse(entry.substring(eq + 1)));
    }
    return map;
  }
}

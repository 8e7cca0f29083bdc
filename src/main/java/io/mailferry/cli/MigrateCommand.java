package io.mailferry.cli;

import io.mailferry.config.Credentials;
import io.mailferry.config.DateWindow;
import io.mailferry.config.MigrationSettings;
import io.mailferry.config.SourceDeletion;
import io.mailferry.job.MigrationRun;
import io.mailferry.job.Migrations;
import io.mailferry.mail.ConnectionSettings;
import io.mailferry.mail.Endpoint;
import io.mailferry.mail.FolderPath;
import io.mailferry.mail.MailferryException;
import io.mailferry.scheme.Schemes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "migrate",
    sortOptions = false,
    description =
        "Copy every folder and message of an IMAP account (or a POP3 mailbox) into an IMAP account, "
            + "faithfully. Re-running copies only what is new; an interrupted run continues where it stopped.")
class MigrateCommand implements Callable<Integer> {

  @ParentCommand MailferryCommand parent;

  @Option(
      names = "--from",
      required = true,
      paramLabel = "URL",
      description = "imap[s]://USER@HOST[:PORT] or pop3[s]://USER@HOST[:PORT]")
  String from;

  @Option(
      names = "--to",
      required = true,
      paramLabel = "URL",
      description = "imap[s]://USER@HOST[:PORT] (backup: a directory)")
  String to;

  @Mixin SecretArgs secrets;
  @Mixin StoreArgs store;
  @Mixin RunArgs run;

  @Option(
      names = "--from-auth",
      paramLabel = "MECH",
      defaultValue = "password",
      description = "password or xoauth2 (the secret is then an OAuth2 access token)")
  String fromAuth;

  @Option(names = "--to-auth", paramLabel = "MECH", defaultValue = "password")
  String toAuth;

  @Option(
      names = "--trust-cert",
      paramLabel = "FILE",
      description = "trust this PEM certificate on both sides")
  Path trustCert;

  @Option(names = "--from-trust-cert", paramLabel = "FILE")
  Path fromTrustCert;

  @Option(names = "--to-trust-cert", paramLabel = "FILE")
  Path toTrustCert;

  @Option(
      names = "--include",
      paramLabel = "GLOB",
      description = "copy only matching folders (repeatable)")
  List<String> includes = new ArrayList<>();

  @Option(
      names = "--exclude",
      paramLabel = "GLOB",
      description = "skip matching folders (repeatable)")
  List<String> excludes = new ArrayList<>();

  @Option(
      names = "--folder-map",
      paramLabel = "OLD=NEW",
      description = "rename a folder and its sub-folders")
  List<String> folderMaps = new ArrayList<>();

  @Option(
      names = "--to-folder",
      paramLabel = "NAME",
      description = "POP3 source: the destination folder (default INBOX)")
  String toFolder;

  @Option(
      names = "--delete-after-copy",
      description = "POP3 source: delete each message once its copy is stored and recorded")
  boolean deleteAfterCopy;

  @Option(
      names = "--delete-older-than",
      paramLabel = "DAYS",
      description = "POP3 source: delete copied messages once they are DAYS old")
  Integer deleteOlderThanDays;

  @Option(
      names = "--workers",
      paramLabel = "WHERE",
      defaultValue = "local",
      description =
          "local (this process copies the folders) or remote: `mailferry worker` processes sharing "
              + "the --db job store copy them; this one plans and waits (default ${DEFAULT-VALUE})")
  String workers = "local";

  /** Set by restore (--since/--before); migrate takes every date. */
  DateWindow dates = DateWindow.ALL;

  @Override
  public Integer call() {
    MigrationSettings settings = settings();
    boolean remote = remoteWorkers(settings);
    Credentials credentials = new Credentials();
    secrets.addTo(credentials, settings, parent.env);
    try (var context = store.open(parent.env)) {
      context.getBean(Credentials.class).putAll(credentials);
      if (run.dryRun) {
        DryRun.print(settings, context.getBean(Credentials.class), context, parent.out);
        return ExitCodes.OK;
      }
      Migrations migrations = context.getBean(Migrations.class);
      GracefulStop stop = GracefulStop.install(context, parent.err);
      try (stop) {
        MigrationRun execution = migrations.start(settings, null, remote);
        return RunOutcome.finish(migrations, execution, run.report, store.stateDir(), parent);
      }
    }
  }

  /** Whether --workers remote applies; checked against the archive and the job store it needs. */
  boolean remoteWorkers(MigrationSettings settings) {
    return switch (workers) {
      case "local" -> false;
      case "remote" -> {
        if (!Schemes.of(settings.from()).hasHost() || !Schemes.of(settings.to()).hasHost()) {
          throw new MailferryException.BadUsage(
              "--workers remote copies between servers; a local archive is "
                  + "read and written by one machine: leave --workers out.");
        }
        if (store.db == null) {
          throw new MailferryException.BadUsage(
              "--workers remote needs --db jdbc:postgresql://...: the workers "
                  + "take the folders from that job store.");
        }
        yield true;
      }
      default -> throw new MailferryException.BadUsage("--workers must be local or remote.");
    };
  }

  MigrationSettings settings() {
    Endpoint source = Endpoint.parse(from, "source");
    Endpoint destination = destination();
    boolean pop3 = source.protocol() == Endpoint.Protocol.POP3;
    if (!pop3 && (toFolder != null || deleteAfterCopy || deleteOlderThanDays != null)) {
      throw new MailferryException.BadUsage(
          "--to-folder, --delete-after-copy and --delete-older-than are for a"
              + " POP3 source; for an IMAP source use --folder-map.");
    }
    return new MigrationSettings(
        source,
        destination,
        connection(fromAuth, fromTrustCert != null ? fromTrustCert : trustCert, "--from-auth"),
        connection(toAuth, toTrustCert != null ? toTrustCert : trustCert, "--to-auth"),
        includes,
        run.throttle.excludes(excludes),
        folderMap(),
        run.includeDeleted,
        run.maxConnections(),
        run.maxFailures(),
        sourceDeletion(),
        run.quota(),
        run.following(),
        dates,
        run.throttle.throttling());
  }

  /** migrate writes to an IMAP account; backup overrides this with its archive directory. */
  Endpoint destination() {
    Endpoint destination = Endpoint.parse(to, "destination");
    if (destination.protocol() != Endpoint.Protocol.IMAP) {
      throw new MailferryException.BadUsage(
          "migrate writes to an IMAP account: the destination must be imap://"
              + " or imaps://, not "
              + destination.scheme()
              + "://.");
    }
    return destination;
  }

  private SourceDeletion sourceDeletion() {
    if (deleteAfterCopy && deleteOlderThanDays != null) {
      throw new MailferryException.BadUsage(
          "Choose one of --delete-after-copy and --delete-older-than.");
    }
    if (deleteOlderThanDays != null && deleteOlderThanDays < 1) {
      throw new MailferryException.BadUsage(
          "--delete-older-than takes a number of days, at least 1.");
    }
    return deleteAfterCopy
        ? SourceDeletion.afterCopy()
        : deleteOlderThanDays != null
            ? SourceDeletion.olderThan(deleteOlderThanDays)
            : SourceDeletion.NONE;
  }

  private ConnectionSettings connection(String auth, Path cert, String option) {
    if (!auth.equals("password") && !auth.equals("xoauth2")) {
      throw new MailferryException.BadUsage(option + " must be password or xoauth2.");
    }
    if (cert != null && !Files.isReadable(cert)) {
      throw new MailferryException.BadConfiguration("Cannot read the certificate " + cert + ".");
    }
    Path absolute = cert == null ? null : cert.toAbsolutePath();
    return ConnectionSettings.defaults()
        .withAllowPlaintext(run.allowPlaintext)
        .withTrustCert(absolute)
        .withXoauth2(auth.equals("xoauth2"))
        .withIoTimeout(run.timeout());
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

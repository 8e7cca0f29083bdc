package io.mailferry.cli;

import io.mailferry.archive.ArchiveCheck;
import io.mailferry.config.DateWindow;
import io.mailferry.mail.Endpoint;
import io.mailferry.mail.MailferryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * restore is migrate with an archive as its source: the same job, ledger and destination matcher,
 * so a second restore copies nothing twice and an interrupted one resumes.
 */
@Command(
    name = "restore",
    sortOptions = false,
    description =
        "Copy a mailferry archive (made by backup) into an IMAP account: folders, flags, keywords, "
            + "dates and exact bytes. Re-running copies only what is missing; resume continues a stopped restore.")
final class RestoreCommand implements Callable<Integer> {

  @ParentCommand MailferryCommand parent;

  @Option(
      names = "--from",
      required = true,
      paramLabel = "DIR",
      description = "the archive directory")
  Path from;

  @Option(
      names = "--to",
      required = true,
      paramLabel = "URL",
      description = "imap[s]://USER@HOST[:PORT]")
  String to;

  @Option(
      names = "--folder",
      paramLabel = "F",
      description = "restore only this folder (a glob, repeatable)")
  List<String> folders = new ArrayList<>();

  @Option(
      names = "--since",
      paramLabel = "DATE",
      description = "only messages dated DATE (YYYY-MM-DD, UTC) or later")
  String since;

  @Option(
      names = "--before",
      paramLabel = "DATE",
      description = "only messages dated before DATE (YYYY-MM-DD, UTC)")
  String before;

  @Mixin SecretArgs secrets;
  @Mixin StoreArgs store;

  @Option(
      names = "--to-auth",
      paramLabel = "MECH",
      defaultValue = "password",
      description = "password or xoauth2 (the secret is then an OAuth2 access token)")
  String toAuth;

  @Option(
      names = {"--trust-cert", "--to-trust-cert"},
      paramLabel = "FILE",
      description = "trust this PEM certificate")
  Path trustCert;

  @Mixin RunArgs run;

  @Override
  public Integer call() {
    ArchiveCheck.open(from);
    DateWindow dates =
        new DateWindow(DateWindow.date(since, "--since"), DateWindow.date(before, "--before"));
    if (dates.since() != null
        && dates.before() != null
        && !dates.since().isBefore(dates.before())) {
      throw new MailferryException.BadUsage("--since must be a day before --before.");
    }
    MigrateCommand migrate = new MigrateCommand();
    migrate.parent = parent;
    migrate.from = Endpoint.archive(from).toString();
    migrate.to = to;
    migrate.secrets = secrets;
    migrate.store = store;
    migrate.run = run;
    migrate.fromAuth = "password";
    migrate.toAuth = toAuth;
    migrate.toTrustCert = trustCert;
    migrate.includes = folders;
    migrate.dates = dates;
    return migrate.call();
  }
}

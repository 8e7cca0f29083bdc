package io.mailferry.cli;

import io.mailferry.config.Credentials;
import io.mailferry.config.MigrationSettings;
import io.mailferry.job.JobStore;
import io.mailferry.job.MigrationLauncher;
import io.mailferry.mail.ConnectionSettings;
import io.mailferry.mail.Endpoint;
import io.mailferry.mail.FolderPath;
import io.mailferry.mail.MailferryException;
import io.mailferry.report.MigrationReport;
import io.mailferry.report.SummaryPrinter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

@Command(name = "migrate", sortOptions = false,
    description = "Copy every folder and message of an IMAP account into another, faithfully. "
        + "Re-running copies only what is new; an interrupted run continues where it stopped.")
final class MigrateCommand implements Callable<Integer> {

  @ParentCommand
  MailferryCommand parent;

  @Option(names = "--from", required = true, paramLabel = "URL", description = "imap[s]://USER@HOST[:PORT]")
  String from;

  @Option(names = "--to", required = true, paramLabel = "URL", description = "imap[s]://USER@HOST[:PORT]")
  String to;

  @Option(names = "--from-password-file", paramLabel = "FILE") Path fromPasswordFile;
  @Option(names = "--to-password-file", paramLabel = "FILE") Path toPasswordFile;
  @Option(names = "--from-password-command", paramLabel = "CMD") String fromPasswordCommand;
  @Option(names = "--to-password-command", paramLabel = "CMD") String toPasswordCommand;

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

  @Option(names = "--include-deleted", description = "also copy messages flagged \\Deleted")
  boolean includeDeleted;

  @Option(names = "--max-connections", paramLabel = "N", defaultValue = "5",
      description = "connections per account, at most (default ${DEFAULT-VALUE})")
  int maxConnections;

  @Option(names = "--dry-run", description = "print the plan and write nothing") boolean dryRun;

  @Option(names = "--report", paramLabel = "FILE", description = "also write the report as JSON")
  Path report;

  @Option(names = "--state-dir", paramLabel = "DIR", description = "job store folder (default ~/.mailferry)")
  Path stateDir;

  @Option(names = "--db", paramLabel = "JDBC_URL",
      description = "a jdbc:postgresql:// job store instead (password from MAILFERRY_DB_PASSWORD)")
  String db;

  @Override
  public Integer call() {
    MigrationSettings settings = settings();
    Map<String, String> env = parent.env;
    Credentials credentials = new Credentials();
    credentials.put(settings.from().account(), SecretOptions.resolve("source", "MAILFERRY_FROM_PASSWORD",
        fromPasswordFile, fromPasswordCommand, env, settings.from().toString()));
    credentials.put(settings.to().account(), SecretOptions.resolve("destination", "MAILFERRY_TO_PASSWORD",
        toPasswordFile, toPasswordCommand, env, settings.to().toString()));
    Path state = stateDir != null ? stateDir : Path.of(System.getProperty("user.home"), ".mailferry");
    if (db != null && !db.startsWith("jdbc:postgresql:")) {
      throw new MailferryException.BadUsage("--db takes a jdbc:postgresql:// URL.");
    }
    try (var context = JobStore.open(state, db, env.get("MAILFERRY_DB_PASSWORD"))) {
      Credentials live = context.getBean(Credentials.class);
      live.put(settings.from().account(), credentials.get(settings.from().account()));
      live.put(settings.to().account(), credentials.get(settings.to().account()));
      if (dryRun) {
        DryRun.print(settings, live, context, parent.out);
        return ExitCodes.OK;
      }
      MigrationLauncher launcher = context.getBean(MigrationLauncher.class);
      JobExecution execution = launcher.run(settings);
      MigrationReport result = launcher.report(execution);
      SummaryPrinter.print(result, parent.out);
      writeReport(result);
      return exitCode(execution, result);
    }
  }

  MigrationSettings settings() {
    Endpoint source = Endpoint.parse(from, "source");
    Endpoint destination = Endpoint.parse(to, "destination");
    for (Endpoint e : List.of(source, destination)) {
      if (e.protocol() != Endpoint.Protocol.IMAP) {
        throw new MailferryException.BadUsage("migrate reads and writes IMAP only for now: " + e.scheme()
            + ":// is not supported yet.");
      }
    }
    if (maxConnections < 1) {
      throw new MailferryException.BadUsage("--max-connections must be at least 1.");
    }
    return new MigrationSettings(source, destination,
        connection(fromAuth, fromTrustCert != null ? fromTrustCert : trustCert, "--from-auth"),
        connection(toAuth, toTrustCert != null ? toTrustCert : trustCert, "--to-auth"),
        includes, excludes, folderMap(), includeDeleted, maxConnections);
  }

  private ConnectionSettings connection(String auth, Path cert, String option) {
    if (!auth.equals("password") && !auth.equals("xoauth2")) {
      throw new MailferryException.BadUsage(option + " must be password or xoauth2.");
    }
    if (cert != null && !Files.isReadable(cert)) {
      throw new MailferryException.BadConfiguration("Cannot read the certificate " + cert + ".");
    }
    Path absolute = cert == null ? null : cert.toAbsolutePath();
    return ConnectionSettings.defaults().withAllowPlaintext(allowPlaintext).withTrustCert(absolute)
        .withXoauth2(auth.equals("xoauth2"));
  }

  private Map<FolderPath, FolderPath> folderMap() {
    Map<FolderPath, FolderPath> map = new LinkedHashMap<>();
    for (String entry : folderMaps) {
      int eq = entry.indexOf('=');
      if (eq <= 0 || eq == entry.length() - 1) {
        throw new MailferryException.BadUsage("--folder-map takes OLD=NEW, not '" + entry + "'.");
      }
      map.put(FolderPath.parse(entry.substring(0, eq)), FolderPath.parse(entry.substring(eq + 1)));
    }
    return map;
  }

  private void writeReport(MigrationReport result) {
    if (report == null) {
      return;
    }
    try {
      JsonMapper json = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
      Files.writeString(report, json.writeValueAsString(result));
    } catch (java.io.IOException e) {
      throw new MailferryException.BadConfiguration("Cannot write the report " + report + ": " + e.getMessage() + ".", e);
    }
  }

  private int exitCode(JobExecution execution, MigrationReport result) {
    if (execution.getStatus() == BatchStatus.COMPLETED) {
      return result.failed() > 0 ? ExitCodes.SOME_FAILED : ExitCodes.OK;
    }
    for (Throwable t : execution.getAllFailureExceptions()) {
      MailferryException known = FailureHandler.find(t);
      if (known != null) {
        throw known;
      }
    }
    List<Throwable> failures = execution.getAllFailureExceptions();
    String why = failures.isEmpty() ? execution.getExitStatus().getExitDescription() : failures.get(0).getMessage();
    throw new MailferryException.Temporary("The migration stopped (" + execution.getStatus().name().toLowerCase()
        + "): " + why + " Run the same command again to resume.", null);
  }
}

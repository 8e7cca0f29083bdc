package io.mailferry.cli;

import io.mailferry.config.Credentials;
import io.mailferry.config.MigrationSettings;
import io.mailferry.mail.Endpoint;
import io.mailferry.mail.MailferryException;
import io.mailferry.scheme.Schemes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Option;

/** Where the two sides' secrets come from: the same options for migrate and resume. */
final class SecretArgs {

  @Option(names = "--from-password-file", paramLabel = "FILE")
  Path fromPasswordFile;

  @Option(names = "--to-password-file", paramLabel = "FILE")
  Path toPasswordFile;

  @Option(names = "--from-password-command", paramLabel = "CMD")
  String fromPasswordCommand;

  @Option(names = "--to-password-command", paramLabel = "CMD")
  String toPasswordCommand;

  @Option(
      names = "--password-command-timeout",
      paramLabel = "SECONDS",
      description =
          "a password command that has not exited after this long fails the run (default 30)")
  Integer passwordCommandTimeout;

  /** Resolves both secrets now, so a missing or unreadable one fails before any work starts. */
  void addTo(Credentials credentials, MigrationSettings settings, Map<String, String> env) {
    Endpoint from = settings.from();
    Endpoint to = settings.to();
    // A local archive needs no secret: its scheme says so.
    if (Schemes.of(from).needsSecret()) {
      credentials.put(
          from.account(),
          SecretOptions.resolve(
              "source",
              "MAILFERRY_FROM_PASSWORD",
              fromPasswordFile,
              command(fromPasswordCommand, Set.of()),
              settings.fromConnection().xoauth2(),
              env,
              from.toString()));
    }
    if (Schemes.of(to).needsSecret()) {
      credentials.put(
          to.account(),
          SecretOptions.resolve(
              "destination",
              "MAILFERRY_TO_PASSWORD",
              toPasswordFile,
              command(toPasswordCommand, Set.of()),
              settings.toConnection().xoauth2(),
              env,
              to.toString()));
    }
  }

  /** A password command with this run's time limit; null for none. */
  PasswordCommand command(String command, Set<String> hiddenVariables) {
    return command == null ? null : new PasswordCommand(command, timeout(), hiddenVariables);
  }

  /** The options a job file's loading checks (the rest when the secrets are read). */
  void check() {
    timeout();
  }

  private Duration timeout() {
    if (passwordCommandTimeout == null) {
      return PasswordCommand.DEFAULT_TIMEOUT;
    }
    if (passwordCommandTimeout < 1) {
      throw new MailferryException.BadUsage(
          "--password-command-timeout must be at least 1 (seconds).");
    }
    return Duration.ofSeconds(passwordCommandTimeout);
  }
}

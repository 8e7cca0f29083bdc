package io.mailferry.cli;

import io.mailferry.config.Credentials;
import io.mailferry.jobfile.SecretRef;
import io.mailferry.mail.Endpoint;
import io.mailferry.mail.MailferryException;
import io.mailferry.mail.Secret;
import io.mailferry.scheme.Schemes;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * The secrets of a job file's account: its from-secret / to-secret reference (env:, file:,
 * command:), else the options and environment variables of the command line. Resolved when the
 * account starts, so that a missing secret fails that account only.
 */
final class JobSecrets {

  /** One at a time: a prompt on the terminal must not interleave with another account's. */
  private static final Object RESOLVING = new Object();

  private JobSecrets() {}

  static void addTo(Credentials credentials, JobFiles.Account account, Map<String, String> env) {
    Endpoint from = account.settings().from();
    Endpoint to = account.settings().to();
    SecretArgs options = account.command().secrets;
    synchronized (RESOLVING) {
      if (Schemes.of(from).needsSecret()) {
        credentials.put(
            from.account(),
            resolve(
                new Side(
                    "source",
                    "MAILFERRY_FROM_PASSWORD",
                    account.settings().fromConnection().xoauth2()),
                account.spec().fromSecret(),
                options.fromPasswordFile,
                options.fromPasswordCommand,
                account,
                env,
                from));
      }
      if (Schemes.of(to).needsSecret()) {
        credentials.put(
            to.account(),
            resolve(
                new Side(
                    "destination",
                    "MAILFERRY_TO_PASSWORD",
                    account.settings().toConnection().xoauth2()),
                account.spec().toSecret(),
                options.toPasswordFile,
                options.toPasswordCommand,
                account,
                env,
                to));
      }
    }
  }

  private record Side(String name, String defaultEnv, boolean xoauth2) {}

  private static Secret resolve(
      Side side,
      SecretRef ref,
      Path file,
      String command,
      JobFiles.Account account,
      Map<String, String> env,
      Endpoint endpoint) {
    SecretArgs options = account.command().secrets;
    // No password command of this job sees a secret this job reads from the environment.
    Set<String> hidden = account.secretVariables();
    if (ref == null) {
      return SecretOptions.resolve(
          side.name(),
          side.defaultEnv(),
          file,
          options.command(command, hidden),
          side.xoauth2(),
          env,
          endpoint.toString());
    }
    return switch (ref.kind()) {
      case ENV -> {
        if (!env.containsKey(ref.value())) {
          throw new MailferryException.BadConfiguration(
              "No password for the "
                  + side.name()
                  + " "
                  + endpoint
                  + ": "
                  + ref.value()
                  + " is not set ("
                  + ref.at()
                  + ").");
        }
        yield SecretOptions.resolve(
            side.name(), ref.value(), null, null, false, env, endpoint.toString());
      }
      // Relative to the file the reference is written in (the job file, or the CSV).
      case FILE ->
          SecretOptions.resolve(
              side.name(),
              side.defaultEnv(),
              ref.at().file().toAbsolutePath().getParent().resolve(ref.value()),
              null,
              false,
              env,
              endpoint.toString());
      case COMMAND ->
          SecretOptions.resolve(
              side.name(),
              side.defaultEnv(),
              null,
              options.command(ref.value(), hidden),
              side.xoauth2(),
              env,
              endpoint.toString());
    };
  }
}

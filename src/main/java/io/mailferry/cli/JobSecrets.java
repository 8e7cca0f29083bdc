package io.mailferry.cli;

import io.mailferry.config.Credentials;
import io.mailferry.jobfile.SecretRef;
import io.mailferry.mail.Endpoint;
import io.mailferry.mail.MailferryException;
import io.mailferry.mail.Secret;
import java.nio.file.Path;
import java.util.Map;

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
      if (!from.isArchive()) {
        credentials.put(from.account(), resolve("source", "MAILFERRY_FROM_PASSWORD", account.spec().fromSecret(),
            options.fromPasswordFile, options.fromPasswordCommand, env, from));
      }
      if (!to.isArchive()) {
        credentials.put(to.account(), resolve("destination", "MAILFERRY_TO_PASSWORD", account.spec().toSecret(),
            options.toPasswordFile, options.toPasswordCommand, env, to));
      }
    }
  }

  private static Secret resolve(String side, String defaultEnv, SecretRef ref, Path file, String command,
      Map<String, String> env, Endpoint endpoint) {
    if (ref == null) {
      return SecretOptions.resolve(side, defaultEnv, file, command, env, endpoint.toString());
    }
    return switch (ref.kind()) {
      case ENV -> {
        if (!env.containsKey(ref.value())) {
          throw new MailferryException.BadConfiguration("No password for the " + side + " " + endpoint + ": "
              + ref.value() + " is not set (" + ref.at() + ").");
        }
        yield SecretOptions.resolve(side, ref.value(), null, null, env, endpoint.toString());
      }
      // Relative to the file the reference is written in (the job file, or the CSV).
      case FILE -> SecretOptions.resolve(side, defaultEnv, ref.at().file().toAbsolutePath().getParent()
          .resolve(ref.value()), null, env, endpoint.toString());
      case COMMAND -> SecretOptions.resolve(side, defaultEnv, null, ref.value(), env, endpoint.toString());
    };
  }
}

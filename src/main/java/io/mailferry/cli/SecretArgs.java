package io.mailferry.cli;

import io.mailferry.config.Credentials;
import io.mailferry.mail.Endpoint;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/** Where the two sides' secrets come from: the same options for migrate and resume. */
final class SecretArgs {

  @Option(names = "--from-password-file", paramLabel = "FILE") Path fromPasswordFile;
  @Option(names = "--to-password-file", paramLabel = "FILE") Path toPasswordFile;
  @Option(names = "--from-password-command", paramLabel = "CMD") String fromPasswordCommand;
  @Option(names = "--to-password-command", paramLabel = "CMD") String toPasswordCommand;

  /** Resolves both secrets now, so a missing or unreadable one fails before any work starts. */
  void addTo(Credentials credentials, Endpoint from, Endpoint to, Map<String, String> env) {
    if (from.protocol() != Endpoint.Protocol.ARCHIVE) { // a local archive needs no secret
      credentials.put(from.account(), SecretOptions.resolve("source", "MAILFERRY_FROM_PASSWORD",
          fromPasswordFile, fromPasswordCommand, env, from.toString()));
    }
    credentials.put(to.account(), SecretOptions.resolve("destination", "MAILFERRY_TO_PASSWORD",
        toPasswordFile, toPasswordCommand, env, to.toString()));
  }
}

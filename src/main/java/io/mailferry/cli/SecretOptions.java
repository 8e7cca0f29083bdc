package io.mailferry.cli;

import io.mailferry.mail.MailferryException;
import io.mailferry.mail.Secret;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where one side's secret comes from, in order: a password file, a password command (like mbsync's
 * PassCmd), the environment variable, a prompt on a terminal. Never an option value, so no secret
 * shows in `ps`. The file is read again at every login; the command runs once per run, or at every
 * login for an OAuth2 token (it expires, and the command hands out a fresh one).
 */
final class SecretOptions {

  private SecretOptions() {}

  /**
   * @param command the password command, or null
   * @param xoauth2 whether the secret is an OAuth2 token, which the command is asked for again at
   *     each login
   */
  static Secret resolve(
      String side,
      String envName,
      Path file,
      PasswordCommand command,
      boolean xoauth2,
      Map<String, String> env,
      String account) {
    if (file != null) {
      readFile(side, file); // fail now, with a clear sentence, rather than at the first login
      return () -> readFile(side, file);
    }
    if (command != null) {
      // Run now: a failing command fails before any work starts. Its answer serves the first login.
      String first = command.run(side, env);
      if (!xoauth2) {
        return () -> first;
      }
      java.util.concurrent.atomic.AtomicBoolean firstUsed =
          new java.util.concurrent.atomic.AtomicBoolean();
      return () -> firstUsed.getAndSet(true) ? command.run(side, env) : first;
    }
    String fromEnv = env.get(envName);
    if (fromEnv != null) {
      return () -> fromEnv;
    }
    java.io.Console console = System.console();
    if (console != null) {
      char[] typed = console.readPassword("Password for the %s %s: ", side, account);
      if (typed != null) {
        String value = new String(typed);
        return () -> value;
      }
    }
    String flag = side.equals("source") ? "from" : "to";
    throw new MailferryException.BadConfiguration(
        "No password for the "
            + side
            + ": set "
            + envName
            + ", or use --"
            + flag
            + "-password-file or --"
            + flag
            + "-password-command.");
  }

  private static String readFile(String side, Path file) {
    try {
      byte[] head;
      try (var in = Files.newInputStream(file)) {
        head =
            in.readNBytes(
                PasswordCommand.MAX_OUTPUT); // its first line; a file of any size reads no more
      }
      String secret = PasswordCommand.firstLine(new String(head, StandardCharsets.UTF_8));
      if (secret.isEmpty()) {
        throw new MailferryException.BadConfiguration(
            "The " + side + " password file " + file + " is empty.");
      }
      return secret;
    } catch (IOException e) {
      throw new MailferryException.BadConfiguration(
          "Cannot read the " + side + " password file " + file + ": " + describe(e) + ".", e);
    }
  }

  private static String describe(IOException e) {
    if (e instanceof java.nio.file.NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied";
    }
    return e.getMessage();
  }
}

package io.mailferry.cli;

import io.mailferry.mail.MailferryException;
import io.mailferry.mail.Secret;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Where one side's secret comes from, in order: a password file, a password command (like
 * mbsync's PassCmd), the environment variable, a prompt on a terminal. Never an option value,
 * so no secret shows in `ps`. The file and command are read again at every login.
 */
final class SecretOptions {

  private SecretOptions() {}

  static Secret resolve(String side, String envName, Path file, String command, Map<String, String> env,
      String account) {
    if (file != null) {
      readFile(side, file); // fail now, with a clear sentence, rather than at the first login
      return () -> readFile(side, file);
    }
    if (command != null) {
      runCommand(side, command);
      return () -> runCommand(side, command);
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
    throw new MailferryException.BadConfiguration("No password for the " + side + ": set " + envName
        + ", or use --" + flag + "-password-file or --" + flag + "-password-command.");
  }

  private static String readFile(String side, Path file) {
    try {
      String content = Files.readString(file, StandardCharsets.UTF_8);
      String secret = stripNewline(content);
      if (secret.isEmpty()) {
        throw new MailferryException.BadConfiguration("The " + side + " password file " + file + " is empty.");
      }
      return secret;
    } catch (IOException e) {
      throw new MailferryException.BadConfiguration("Cannot read the " + side + " password file " + file
          + ": " + describe(e) + ".", e);
    }
  }

  private static String runCommand(String side, String command) {
    try {
      Process p = new ProcessBuilder("/bin/sh", "-c", command).redirectErrorStream(false)
          .redirectError(ProcessBuilder.Redirect.DISCARD).start();
      byte[] output = p.getInputStream().readAllBytes();
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new MailferryException.BadConfiguration("The " + side + " password command failed"
            + (p.isAlive() ? " (no answer in 60 s)" : " with exit code " + p.exitValue()) + ".");
      }
      String secret = stripNewline(new String(output, StandardCharsets.UTF_8));
      if (secret.isEmpty()) {
        throw new MailferryException.BadConfiguration("The " + side + " password command printed nothing.");
      }
      return secret;
    } catch (IOException e) {
      throw new MailferryException.BadConfiguration("Cannot run the " + side + " password command: "
          + e.getMessage() + ".", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MailferryException.Temporary("Interrupted while running the password command.", e);
    }
  }

  private static String stripNewline(String s) {
    int end = s.length();
    while (end > 0 && (s.charAt(end - 1) == '\n' || s.charAt(end - 1) == '\r')) {
      end--;
    }
    return s.substring(0, end);
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

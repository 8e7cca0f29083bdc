package io.mailferry.cli;

import io.mailferry.mail.MailferryException;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A password command (like mbsync's PassCmd), run with {@code /bin/sh -c}: its first line is the
 * secret. It runs as the user's code, but on mailferry's terms: it has a time limit that holds even
 * while it prints nothing, its output is read up to a bound, and it does not see mailferry's own
 * secrets in its environment.
 *
 * @param timeout how long the command may take, start to exit
 * @param hiddenVariables further variables to keep from it (those a job file reads secrets from)
 */
record PasswordCommand(String command, Duration timeout, Set<String> hiddenVariables) {

  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  /**
   * A password or token is short; more than this is a command that prints something else (or never
   * stops).
   */
  static final int MAX_OUTPUT = 64 * 1024;

  private static final Path SETSID = Path.of("/usr/bin/setsid");

  /**
   * @throws MailferryException.BadConfiguration (exit 78) with one sentence on each failure
   */
  String run(String side, Map<String, String> env) {
    String what = "The " + side + " password command";
    Process process;
    try {
      ProcessBuilder builder =
          new ProcessBuilder(commandLine())
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .redirectError(ProcessBuilder.Redirect.DISCARD);
      builder.environment().clear();
      builder.environment().putAll(childEnvironment(env));
      process = builder.start();
    } catch (IOException e) {
      throw new MailferryException.BadConfiguration(
          "Cannot run the " + side + " password command: " + e.getMessage() + ".", e);
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      // Read on another thread: a blocked read cannot be given a time limit, a wait for it can.
      CompletableFuture<byte[]> output =
          CompletableFuture.supplyAsync(
              () -> readBounded(process.getInputStream()),
              runnable -> {
                Thread reader = new Thread(runnable, "mailferry-password-command");
                reader.setDaemon(true);
                reader.start();
              });
      // Whichever comes first: output without end, or the command's exit.
      CompletableFuture.anyOf(output, process.onExit())
          .get(remaining(deadline), TimeUnit.NANOSECONDS);
      if (output.isDone() && output.get() == null) {
        throw tooMuch(what);
      }
      if (!process.waitFor(remaining(deadline), TimeUnit.NANOSECONDS)) {
        throw timedOut(what);
      }
      // A child it left running (`sleep 300 &`) holds the output open: stop it, and the output
      // ends.
      stopSession(process);
      byte[] bytes = output.get(remaining(deadline), TimeUnit.NANOSECONDS);
      if (bytes == null) {
        throw tooMuch(what);
      }
      if (process.exitValue() != 0) {
        throw new MailferryException.BadConfiguration(
            what + " failed with exit code " + process.exitValue() + ".");
      }
      String secret = firstLine(new String(bytes, StandardCharsets.UTF_8));
      if (secret.isEmpty()) {
        throw new MailferryException.BadConfiguration(what + " printed nothing.");
      }
      return secret;
    } catch (TimeoutException e) {
      throw timedOut(what);
    } catch (ExecutionException e) {
      throw new MailferryException.BadConfiguration(
          "Cannot read the output of the "
              + side
              + " password command: "
              + e.getCause().getMessage()
              + ".",
          e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MailferryException.Temporary("Interrupted while running the password command.", e);
    } finally {
      kill(process);
    }
  }

  private static long remaining(long deadline) {
    return Math.max(0, deadline - System.nanoTime());
  }

  private static MailferryException tooMuch(String what) {
    return new MailferryException.BadConfiguration(
        what
            + " printed more than "
            + MAX_OUTPUT / 1024
            + " KiB; it should print the secret on its first line.");
  }

  /**
   * In a session of its own where setsid is there (util-linux, on every Debian): whatever it leaves
   * running can then be found and stopped, even once the shell is gone.
   */
  private List<String> commandLine() {
    return Files.isExecutable(SETSID)
        ? List.of(SETSID.toString(), "--wait", "/bin/sh", "-c", command)
        : List.of("/bin/sh", "-c", command);
  }

  private MailferryException timedOut(String what) {
    return new MailferryException.BadConfiguration(
        what
            + " gave no answer in "
            + timeout.toSeconds()
            + " s (see --password-command-timeout).");
  }

  /**
   * The environment mailferry was given (Main passes the process's) without mailferry's own
   * secrets: MAILFERRY_TO_PASSWORD, MAILFERRY_DB_PASSWORD and the like, and the variables a job
   * file names as secrets. The command needs none of them, and it may log its environment.
   */
  Map<String, String> childEnvironment(Map<String, String> env) {
    Map<String, String> child = new java.util.TreeMap<>(env);
    child.keySet().removeIf(name -> isMailferrySecret(name) || hiddenVariables.contains(name));
    return child;
  }

  static boolean isMailferrySecret(String name) {
    String upper = name.toUpperCase(Locale.ROOT);
    return upper.startsWith("MAILFERRY_")
        && (upper.contains("PASS")
            || upper.contains("SECRET")
            || upper.contains("TOKEN")
            || upper.contains("KEY")
            || upper.contains("CREDENTIAL"));
  }

  /**
   * Stops every process of the session the command was started in: setsid makes that session's id
   * the command's own process id (it is not a group leader, so setsid does not fork). A child left
   * behind is no longer the shell's descendant, but it stays in the session.
   */
  private static void stopSession(Process process) {
    long session = process.pid();
    ProcessHandle.allProcesses()
        .filter(p -> p.pid() != session && sessionOf(p.pid()) == session)
        .forEach(ProcessHandle::destroyForcibly);
  }

  /**
   * The session id in /proc/PID/stat (-1 where it cannot be read): the sixth field, after "(comm)".
   */
  static long sessionOf(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(fields[3]); // state, ppid, pgrp, session
    } catch (IOException | RuntimeException e) {
      return -1; // gone, or not Linux
    }
  }

  /** The output, or null once it passes MAX_OUTPUT (reading stops there: `yes` never ends). */
  private static byte[] readBounded(InputStream in) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    try (in) {
      int n;
      while ((n = in.read(buffer)) > 0) {
        out.write(buffer, 0, n);
        if (out.size() > MAX_OUTPUT) {
          return null;
        }
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  static String firstLine(String output) {
    int end = output.indexOf('\n');
    String line = end < 0 ? output : output.substring(0, end);
    return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
  }

  /**
   * Its children first: `sleep 75; echo pw` leaves sleep holding the output pipe open after the
   * shell is gone, and it is no longer the shell's descendant once the shell has died.
   */
  private static void kill(Process process) {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    stopSession(process);
    process.destroyForcibly();
    try {
      process.getInputStream().close();
    } catch (IOException ignored) {
      // nothing left to read
    }
  }
}

package io.mailferry.testsupport;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** mailferry's command line in a child JVM with a small heap, to be killed, signalled or timed. */
public final class ChildMailferry {

  private ChildMailferry() {}

  /** Starts {@code mailferry ARGS}; standard output and error go to {@code log}. */
  public static Process start(List<String> args, Map<String, String> env, Path log)
      throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    // Surefire runs tests from a manifest-only jar; it publishes the real class path here.
    String cp =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> command =
        new ArrayList<>(List.of(java, "-Xmx256m", "-cp", cp, "io.mailferry.cli.Main"));
    command.addAll(args);
    // A file, not a pipe: a killed child's pipe may be closed before anyone reads it.
    ProcessBuilder pb =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().putAll(env);
    return pb.start();
  }

  /**
   * SIGKILLs a child that is still running and waits for it to die. Fails unless the child died of
   * this very signal (exit 137 = 128 + 9): a child that had already ended, or that exited on its
   * own meanwhile, was not killed, and a test that goes on as if it had would pass without its
   * subject.
   */
  public static void kill(Process child) throws InterruptedException {
    if (!child.isAlive()) {
      throw new AssertionError(
          "the child had already exited with " + child.exitValue() + " when it was to be killed");
    }
    child.destroyForcibly().waitFor();
    if (child.exitValue() != SIGKILLED) {
      throw new AssertionError("the child exited with " + child.exitValue() + ", not of SIGKILL");
    }
  }

  /** A child killed by signal 9 exits with 128 + 9 (as Process reports it on Linux). */
  private static final int SIGKILLED = 137;
}

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
  public static Process start(List<String> args, Map<String, String> env, Path log) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    // Surefire runs tests from a manifest-only jar; it publishes the real class path here.
    String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-cp", cp, "io.mailferry.cli.Main"));
    command.addAll(args);
    // A file, not a pipe: a killed child's pipe may be closed before anyone reads it.
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().putAll(env);
    return pb.start();
  }
}

package io.mailferry.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * mailferry processes of one test, each as if on its own machine (its own state dir and log)
 * sharing one job store; closing kills those still running.
 */
public final class ChildProcesses implements AutoCloseable {

  private final Path state;
  private final String database;
  private final List<Process> started = new ArrayList<>();
  private final Map<String, Path> logs = new TreeMap<>();

  public ChildProcesses(Path state, String database) {
    this.state = state;
    this.database = database;
  }

  /** {@code mailferry ARGS --db DATABASE --state-dir STATE/NAME}, its output in STATE/NAME.log. */
  public Process start(String name, Map<String, String> env, List<String> args) throws IOException {
    List<String> all = new ArrayList<>(args);
    all.addAll(List.of("--db", database, "--state-dir", state.resolve(name).toString()));
    Path log = state.resolve(name + ".log");
    logs.put(name, log);
    Process p = ChildMailferry.start(all, env, log);
    started.add(p);
    return p;
  }

  /** Every process's output so far, by name: for the message of a failed assertion. */
  public String output() throws IOException {
    StringBuilder out = new StringBuilder();
    for (var e : logs.entrySet()) {
      out.append("--- ")
          .append(e.getKey())
          .append('\n')
          .append(
              Files.exists(e.getValue())
                  ? Files.readString(e.getValue(), StandardCharsets.UTF_8)
                  : "");
    }
    return out.toString();
  }

  @Override
  public void close() throws InterruptedException {
    for (Process p : started) {
      p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
  }
}

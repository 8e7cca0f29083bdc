package io.mailferry.cli;

import io.mailferry.job.LocalExecutions;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.context.ApplicationContext;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGINT and SIGTERM while a job runs: the first asks Spring Batch to stop after the chunks in
 * flight (the execution ends STOPPED, resumable, exit 75); a second one quits at once, still
 * resumable because every committed chunk is in the ledger. A shutdown hook could not do this:
 * the JVM ignores further signals once it is shutting down.
 */
final class GracefulStop implements AutoCloseable {

  private static final String[] SIGNALS = {"INT", "TERM"};

  private final Map<String, SignalHandler> previous = new HashMap<>();
  private volatile boolean stopping;

  private GracefulStop() {}

  static GracefulStop install(ApplicationContext context, PrintStream err) {
    GracefulStop stop = new GracefulStop();
    JobOperator operator = context.getBean(JobOperator.class);
    LocalExecutions executions = context.getBean(LocalExecutions.class);
    for (String name : SIGNALS) {
      try {
        stop.previous.put(name, Signal.handle(new Signal(name), signal -> stop.onSignal(operator, executions, err)));
      } catch (IllegalArgumentException unavailable) {
        // The JVM reserves this signal here (e.g. -Xrs); the default behaviour stays.
      }
    }
    return stop;
  }

  private void onSignal(JobOperator operator, LocalExecutions executions, PrintStream err) {
    if (stopping) {
      err.println("mailferry: stopped at once; run the same command again to resume.");
      Runtime.getRuntime().halt(ExitCodes.TEMPORARY);
    }
    stopping = true;
    err.println("mailferry: stopping after the chunks in flight (signal again to quit at once)...");
    for (long id : executions.ids()) {
      try {
        operator.stop(id);
      } catch (Exception alreadyEnded) {
        // It finished between the signal and now.
      }
    }
  }

  @Override
  public void close() {
    previous.forEach((name, handler) -> Signal.handle(new Signal(name), handler));
  }
}

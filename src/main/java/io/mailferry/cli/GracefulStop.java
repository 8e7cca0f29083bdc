package io.mailferry.cli;

import io.mailferry.job.Migrations;
import java.io.PrintStream;
import org.springframework.context.ApplicationContext;

/**
 * SIGINT and SIGTERM while a job runs: the first asks Spring Batch to stop after the chunks in
 * flight (the execution ends STOPPED, resumable, exit 75); a second one quits at once, still
 * resumable because every committed chunk is in the ledger. A shutdown hook could not do this: the
 * JVM ignores further signals once it is shutting down.
 */
final class GracefulStop implements AutoCloseable {

  private final Migrations migrations;
  private final Runnable onStop;
  private volatile boolean stopping;
  private Signals.Restore previous;

  private GracefulStop(Migrations migrations, Runnable onStop) {
    this.migrations = migrations;
    this.onStop = onStop;
  }

  static GracefulStop install(ApplicationContext context, PrintStream err) {
    return install(context, err, () -> {});
  }

  /**
   * @param onStop also called at the first signal (a scheduler stops starting runs)
   */
  static GracefulStop install(ApplicationContext context, PrintStream err, Runnable onStop) {
    GracefulStop stop = new GracefulStop(context.getBean(Migrations.class), onStop);
    stop.previous = Signals.onInterruptOrTerminate(() -> stop.onSignal(err));
    return stop;
  }

  private void onSignal(PrintStream err) {
    if (stopping) {
      err.println("mailferry: stopped at once; run the same command again to resume.");
      Runtime.getRuntime().halt(ExitCodes.TEMPORARY);
    }
    stopping = true;
    err.println("mailferry: stopping after the chunks in flight (signal again to quit at once)...");
    onStop.run();
    stopRunning();
  }

  /** Whether a signal asked to stop: start nothing new. */
  boolean requested() {
    return stopping;
  }

  /**
   * Asks every job execution of this process to stop. Called again while stopping, for a job that
   * was starting at the moment of the signal and was not yet known to be running.
   */
  void stopRunning() {
    migrations.stopLocalRuns();
  }

  @Override
  public void close() {
    previous.close();
  }
}

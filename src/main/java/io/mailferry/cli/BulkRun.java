package io.mailferry.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The accounts of a bulk job, several at a time in this one process and job store, so that they
 * share its per-host connection budget. One account's failure is its row's; the others go on. A
 * stop request (SIGTERM) lets the running accounts finish their chunks and starts no more.
 */
final class BulkRun {

  private final JobFiles.Loaded loaded;
  private final ConfigurableApplicationContext context;
  private final Map<String, String> env;
  private final PrintStream out;
  private final GracefulStop stop;

  BulkRun(
      JobFiles.Loaded loaded,
      ConfigurableApplicationContext context,
      Map<String, String> env,
      PrintStream out,
      GracefulStop stop) {
    this.loaded = loaded;
    this.context = context;
    this.env = env;
    this.out = out;
    this.stop = stop;
  }

  BulkReport run() {
    Instant started = Instant.now();
    List<JobFiles.Account> accounts = loaded.accounts();
    int parallel = Math.min(loaded.job().maxParallelAccounts(), accounts.size());
    ExecutorService pool =
        Executors.newFixedThreadPool(
            parallel,
            r -> {
              Thread t = new Thread(r, "mailferry-account");
              t.setDaemon(true);
              return t;
            });
    List<Future<BulkReport.Row>> rows = new ArrayList<>();
    try {
      for (JobFiles.Account account : accounts) {
        rows.add(pool.submit(() -> runOne(account)));
      }
      List<BulkReport.Row> done = new ArrayList<>();
      for (Future<BulkReport.Row> row : rows) {
        done.add(await(row));
      }
      var job = loaded.job();
      BulkReport report =
          new BulkReport(
              job.name(),
              job.path().toString(),
              job.kind().command(),
              started,
              Instant.now(),
              BulkReport.exitCode(done),
              done);
      report.print(out);
      Path written =
          report.write(Path.of(context.getEnvironment().getProperty("mailferry.state-dir")));
      out.println("report: " + written);
      return report;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new io.mailferry.mail.MailferryException.Temporary(
          "Interrupted while the accounts ran.", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    } finally {
      pool.shutdownNow();
      try {
        pool.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * While stopping, asks again every second: an account may have been starting at the moment of the
   * signal.
   */
  private BulkReport.Row await(Future<BulkReport.Row> row)
      throws InterruptedException, java.util.concurrent.ExecutionException {
    while (true) {
      try {
        return row.get(1, TimeUnit.SECONDS);
      } catch (java.util.concurrent.TimeoutException stillRunning) {
        if (stop.requested()) {
          stop.stopRunning();
        }
      }
    }
  }

  private BulkReport.Row runOne(JobFiles.Account account) {
    String from = account.settings().from().account();
    String to = account.settings().to().account();
    if (stop.requested()) {
      return BulkReport.row(
          from,
          to,
          new AccountRun.Outcome(
              ExitCodes.TEMPORARY,
              null,
              new io.mailferry.mail.MailferryException.Temporary(
                  "Not started: stopped on request; run the job again.", null)));
    }
    // Each account's summary is printed whole, not interleaved with the others'.
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    AccountRun.Outcome outcome;
    try (PrintStream own = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
      outcome = AccountRun.execute(loaded.job().name(), account, context, env, own);
      if (outcome.reason() != null && outcome.failure() != null) {
        own.println("mailferry: " + from + ": " + outcome.reason());
      }
    }
    synchronized (out) {
      out.print(buffer.toString(StandardCharsets.UTF_8));
      out.flush();
    }
    return BulkReport.row(from, to, outcome);
  }
}

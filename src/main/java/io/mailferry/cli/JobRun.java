package io.mailferry.cli;

import java.io.PrintStream;
import java.util.Map;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A job file run once: what both `mailferry run` and the scheduler do. Never throws for a failed
 * account.
 */
final class JobRun {

  /**
   * @param reason why the exit code is not 0, one line, or null
   * @param failure a single-account job's failure, for `run` to report as migrate would; else null
   */
  record Result(int exitCode, String reason, long messages, long bytes, RuntimeException failure) {}

  private JobRun() {}

  static Result execute(
      JobFiles.Loaded loaded,
      ConfigurableApplicationContext context,
      Map<String, String> env,
      PrintStream out,
      GracefulStop stop) {
    if (loaded.job().bulk()) {
      BulkReport report = new BulkRun(loaded, context, env, out, stop).run();
      long notOk = report.accounts().size() - report.ok();
      return new Result(
          report.exitCode(),
          notOk == 0
              ? null
              : notOk + " of " + report.accounts().size() + " accounts not ok (see the summary)",
          report.messages(),
          report.bytes(),
          null);
    }
    AccountRun.Outcome outcome =
        AccountRun.execute(loaded.job().name(), loaded.accounts().get(0), context, env, out);
    var report = outcome.report();
    return new Result(
        outcome.exitCode(),
        outcome.reason(),
        report == null ? 0 : report.copied(),
        report == null ? 0 : report.bytesCopied(),
        outcome.failure());
  }
}

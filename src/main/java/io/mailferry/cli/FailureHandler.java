package io.mailferry.cli;

import io.mailferry.mail.MailferryException;
import io.mailferry.mail.Printable;
import java.io.PrintStream;
import picocli.CommandLine;

/** Turns any failure into one sentence on standard error and its exit code. */
final class FailureHandler implements CommandLine.IExecutionExceptionHandler {

  private final PrintStream err;

  FailureHandler(PrintStream err) {
    this.err = err;
  }

  @Override
  public int handleExecutionException(
      Exception e, CommandLine cmd, CommandLine.ParseResult parseResult) {
    MailferryException known = find(e);
    if (known != null) {
      err.println("mailferry: " + known.getMessage());
      return known.exitCode();
    }
    // Not under io.mailferry: that logger also writes to the console, and this has a stack trace.
    org.slf4j.LoggerFactory.getLogger("mailferry.failures").error("unexpected failure", e);
    err.println(
        "mailferry: unexpected error: "
            + Printable.escape(String.valueOf(e))
            + " (details in the log file of the state directory)");
    return ExitCodes.SOFTWARE;
  }

  /** The first mailferry failure in a cause chain: Spring wraps ours in its own. */
  static MailferryException find(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof MailferryException m) {
        return m;
      }
    }
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof java.sql.SQLException
          || t instanceof org.springframework.dao.DataAccessException
          || t instanceof org.springframework.transaction.TransactionException) {
        return new MailferryException.Temporary(
            "The job store cannot be used ("
                + deepest(t).getMessage()
                + "); nothing is copied without its ledger row: run again when it is back.",
            e);
      }
    }
    return null;
  }

  private static Throwable deepest(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }
}

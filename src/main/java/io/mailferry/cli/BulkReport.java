package io.mailferry.cli;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.mailferry.mail.MailferryException;
import io.mailferry.quota.QuotaForecast;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The end of a bulk run: one row per account, as a table on the console and as JSON in the state
 * directory's reports/ folder. Names accounts as user@host:port only, never a secret.
 *
 * @param exitCode 0 when every account exited 0, else the highest exit code of an account
 */
record BulkReport(
    String job,
    String file,
    String kind,
    Instant started,
    Instant ended,
    int exitCode,
    List<Row> accounts) {

  /**
   * @param outcome a word for the exit code: ok, failed-messages, login-refused, unreachable, …
   * @param messages messages copied by this run; bytes likewise
   * @param reason the one-line reason of an exit other than 0, else null
   */
  record Row(
      String from,
      String to,
      String outcome,
      long messages,
      long bytes,
      int exit,
      String reason,
      Long jobExecutionId) {}

  static Row row(String from, String to, AccountRun.Outcome outcome) {
    var r = outcome.report();
    return new Row(
        from,
        to,
        outcomeWord(outcome.exitCode()),
        r == null ? 0 : r.copied(),
        r == null ? 0 : r.bytesCopied(),
        outcome.exitCode(),
        outcome.reason(),
        r == null ? null : r.jobExecutionId());
  }

  static String outcomeWord(int exit) {
    return switch (exit) {
      case ExitCodes.OK -> "ok";
      case ExitCodes.SOME_FAILED -> "failed-messages";
      case ExitCodes.USAGE -> "bad-usage";
      case ExitCodes.UNAVAILABLE -> "unreachable";
      case ExitCodes.CANT_CREATE -> "destination-full";
      case ExitCodes.TEMPORARY -> "interrupted";
      case ExitCodes.NO_PERMISSION -> "login-refused";
      case ExitCodes.CONFIG -> "bad-configuration";
      case ExitCodes.ALREADY_RUNNING -> "already-running";
      default -> "error";
    };
  }

  static int exitCode(List<Row> rows) {
    return rows.stream().mapToInt(Row::exit).max().orElse(ExitCodes.OK);
  }

  @JsonProperty
  long ok() {
    return accounts.stream().filter(r -> r.exit() == ExitCodes.OK).count();
  }

  @JsonProperty
  long messages() {
    return accounts.stream().mapToLong(Row::messages).sum();
  }

  @JsonProperty
  long bytes() {
    return accounts.stream().mapToLong(Row::bytes).sum();
  }

  void print(PrintStream out) {
    out.printf("%nmailferry: bulk job %s (%s): %d accounts%n", job, kind, accounts.size());
    out.printf(
        "%-32s %-32s %-18s %9s %10s %4s%n", "from", "to", "outcome", "messages", "bytes", "exit");
    for (Row r : accounts) {
      out.printf(
          "%-32s %-32s %-18s %9d %10s %4d%n",
          r.from(), r.to(), r.outcome(), r.messages(), QuotaForecast.size(r.bytes()), r.exit());
    }
    for (Row r : accounts) {
      if (r.reason() != null) {
        out.printf("  %s: %s%n", r.from(), r.reason());
      }
    }
    double seconds = Duration.between(started, ended).toMillis() / 1000.0;
    out.printf(
        Locale.ROOT,
        "total: %d accounts, %d ok, %d not ok; %d messages, %s copied in %.1f s; exit %d%n",
        accounts.size(),
        ok(),
        accounts.size() - ok(),
        messages(),
        QuotaForecast.size(bytes()),
        seconds,
        exitCode);
  }

  /** Writes reports/bulk-JOB-TIME.json under the state directory; returns its path. */
  Path write(Path stateDir) {
    String stamp =
        DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC)
            .format(started);
    Path dir = stateDir.resolve("reports");
    Path file = dir.resolve("bulk-" + job + "-" + stamp + ".json");
    try {
      Files.createDirectories(dir);
      JsonMapper json = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
      Files.writeString(file, json.writeValueAsString(this));
      return file;
    } catch (IOException e) {
      throw new MailferryException.BadConfiguration(
          "Cannot write the bulk report " + file + ": " + e.getMessage() + ".", e);
    }
  }
}

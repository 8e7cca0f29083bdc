package io.mailferry.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailferry.cli.ExitCodes;
import io.mailferry.report.RunReports;
import io.mailferry.testsupport.Account;
import io.mailferry.testsupport.DovecotExtension;
import io.mailferry.testsupport.DovecotServer;
import io.mailferry.testsupport.FaultyImapProxy;
import io.mailferry.testsupport.Mailferry;
import io.mailferry.testsupport.ReportSchema;
import io.mailferry.testsupport.TestMailbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What an operator reads after and during a run, against a real Dovecot with a quota: the report
 * file every run leaves (valid against the shipped schema, failed runs included), mailferry report,
 * mailferry status (running now, last outcome per job), and --quiet.
 */
class ReportsAndStatusIntegrationTests {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  @RegisterExtension
  static DovecotExtension dovecotExtension = new DovecotExtension(DovecotServer.Layout.SLASH);

  @TempDir Path state;
  DovecotServer dovecot;

  @BeforeEach
  void server() {
    dovecot = dovecotExtension.server();
  }

  @Test
  void a_run_leaves_a_report_file_that_follows_the_schema_with_reasons_quota_lines_and_exit_code()
      throws Exception {
    Account source = account("repsrc", 0, 0, 0);
    Account destination =
        account("repdst", 1000, 0, 20); // 1000 KiB quota; messages over 20 KB are refused
    try (TestMailbox box = source.open()) {
      box.append(
          "INBOX",
          LimitsIntegrationTests.message("small", 3_000),
          Set.of("\\Seen"),
          Instant.parse("2025-01-01T00:00:00Z"));
      box.append(
          "INBOX",
          LimitsIntegrationTests.message("large", 60_000),
          Set.of(),
          Instant.parse("2025-01-02T00:00:00Z"));
      box.append(
          "INBOX",
          LimitsIntegrationTests.message("gone", 2_000),
          Set.of("\\Deleted"),
          Instant.parse("2025-01-03T00:00:00Z"));
    }

    var run = Mailferry.migrate(source, destination, state);

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.SOME_FAILED);
    Path file = onlyReport();
    assertThat(run.out()).contains("Report: " + file);
    String json = Files.readString(file);
    assertThat(ReportSchema.violations(json)).isEmpty();
    JsonNode report = JSON.readTree(json);
    assertThat(report.get("exitCode").asInt()).isEqualTo(1);
    assertThat(report.get("reason").asString()).contains("1 messages failed");
    assertThat(report.get("from").asString()).isEqualTo(source.url()).doesNotContain("pw-");
    assertThat(report.get("copied").asLong()).isEqualTo(1);
    JsonNode inbox =
        report
            .get("folders")
            .valueStream()
            .filter(f -> f.get("sourceFolder").asString().equals("INBOX"))
            .findFirst()
            .orElseThrow();
    assertThat(inbox.get("state").asString()).isEqualTo("COMPLETED");
    assertThat(inbox.get("skipped").propertyNames())
        .singleElement()
        .asString()
        .contains("\\Deleted");
    assertThat(inbox.get("failed").get(0).get("uid").asLong()).isEqualTo(2);
    assertThat(inbox.get("failed").get(0).get("reason").asString()).contains("refused");
    assertThat(inbox.get("elapsedSeconds").asDouble()).isGreaterThanOrEqualTo(0);
    assertThat(report.get("quotaLines").get(0).asString())
        .startsWith("quota \"")
        .contains("used of 1000 KiB");
    assertThat(run.err() + run.out()).contains(report.get("quotaLines").get(0).asString());
    assertThat(Instant.parse(report.get("ended").asString()))
        .isAfterOrEqualTo(Instant.parse(report.get("started").asString()));

    var summary = Mailferry.run(Map.of(), "report", "--state-dir", state.toString());
    assertThat(summary.exitCode()).as(summary.toString()).isZero();
    assertThat(summary.out())
        .contains("failed UID 2:")
        .contains("skipped 1:")
        .contains("used of 1000 KiB")
        .contains("Exit code: 1: 1 messages failed");

    long id = report.get("jobExecutionId").asLong();
    var asJson =
        Mailferry.run(
            Map.of(), "report", String.valueOf(id), "--json", "--state-dir", state.toString());
    assertThat(asJson.out()).isEqualTo(json);

    var unknown =
        Mailferry.run(
            Map.of(), "report", String.valueOf(id + 100), "--state-dir", state.toString());
    assertThat(unknown.exitCode()).as(unknown.toString()).isEqualTo(ExitCodes.USAGE);
    assertThat(unknown.err()).contains("There is no execution " + (id + 100));

    var schema = Mailferry.run(Map.of(), "report", "--schema");
    assertThat(schema.out()).isEqualTo(RunReports.schema()).contains("\"$schema\"");
  }

  @Test
  void
      a_failed_run_leaves_its_exit_code_and_reason_in_its_report_and_status_shows_the_last_outcome()
          throws Exception {
    Account source = withMessages("failsrc", 1);
    Account destination = account("faildst", 0, 0, 0);
    Account wrongPassword =
        Account.imap(destination.host(), destination.port(), "faildst", "not-the-password")
            .trusting(dovecot.certificatePem());

    var refused = Mailferry.migrate(source, wrongPassword, state);

    assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(ExitCodes.NO_PERMISSION);
    JsonNode failed = JSON.readTree(Files.readString(onlyReport()));
    assertThat(ReportSchema.violations(failed.toString())).isEmpty();
    assertThat(failed.get("exitCode").asInt()).isEqualTo(ExitCodes.NO_PERMISSION);
    assertThat(failed.get("status").asString()).isEqualTo("FAILED");
    assertThat(refused.err()).contains(failed.get("reason").asString());

    var fixed = Mailferry.migrate(source, destination, state, "--quiet");
    assertThat(fixed.exitCode()).as(fixed.toString()).isZero();

    var status = Mailferry.run(Map.of(), "status", "--state-dir", state.toString());
    assertThat(status.exitCode()).as(status.toString()).isZero();
    String pair = source.url() + " → " + destination.url();
    assertThat(status.out()).contains("Nothing is running.").contains("Last outcome per job:");
    String lastOutcome =
        status
            .out()
            .lines()
            .dropWhile(l -> !l.startsWith("Last outcome per job:"))
            .filter(l -> l.startsWith(pair))
            .findFirst()
            .orElseThrow();
    assertThat(lastOutcome.split("\\s+")).contains("COMPLETED", "0", "1/1");
    assertThat(status.out()).contains("77: " + failed.get("reason").asString().substring(0, 30));
  }

  @Test
  void quiet_prints_only_the_one_line_outcome() throws Exception {
    Account source = withMessages("qsrc", 2);
    Account destination = account("qdst", 0, 0, 0);

    var run = Mailferry.migrate(source, destination, state, "--quiet");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out().lines().toList())
        .singleElement()
        .asString()
        .startsWith("mailferry: " + source.url() + " → " + destination.url())
        .contains("completed, 2 copied, 0 already there, 0 skipped, 0 failed")
        .endsWith("exit 0");
    assertThat(run.err()).isEmpty();
  }

  @Test
  void status_shows_a_run_in_progress_with_the_process_running_it() throws Exception {
    Account source = withMessages("livesrc", 3);
    account("livedst", 0, 0, 0);
    // The first APPEND gets no answer: the run waits for its --timeout, then retries and finishes.
    try (var stall =
        new FaultyImapProxy(
            dovecot.host(), dovecot.imapPort(), "APPEND", 1, FaultyImapProxy.Fault.STALL)) {
      Account stalled = Account.imap("127.0.0.1", stall.port(), "livedst", "pw-livedst");
      CompletableFuture<Mailferry.Result> run =
          CompletableFuture.supplyAsync(
              () ->
                  Mailferry.migrate(source, stalled, state, "--timeout", "8", "--allow-plaintext"));

      String running = awaitRunning(run);

      assertThat(running)
          .contains(source.url() + " → " + stalled.url())
          .contains("process " + ProcessHandle.current().pid() + " on ");
      Mailferry.Result done = run.get(60, TimeUnit.SECONDS);
      assertThat(done.exitCode()).as(done.toString()).isZero();
    }
    var after = Mailferry.run(Map.of(), "status", "--state-dir", state.toString());
    assertThat(after.out()).contains("Nothing is running.");
  }

  private String awaitRunning(CompletableFuture<Mailferry.Result> run) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline && !run.isDone()) {
      if (Files.exists(state.resolve("jobstore.mv.db"))) {
        var status = Mailferry.run(Map.of(), "status", "--state-dir", state.toString());
        if (status.out().contains("Running now:")) {
          return status
              .out()
              .lines()
              .dropWhile(l -> !l.equals("Running now:"))
              .skip(1)
              .findFirst()
              .orElse("");
        }
      }
      Thread.sleep(300);
    }
    throw new AssertionError(
        "status never showed the run as running; the run: "
            + (run.isDone() ? run.get().toString() : "still going"));
  }

  private Path onlyReport() throws Exception {
    try (Stream<Path> files = Files.list(RunReports.dir(state))) {
      List<Path> reports = files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
      assertThat(reports).isNotEmpty();
      return reports.get(reports.size() - 1);
    }
  }

  /**
   * A Dovecot account (password pw-USER) with these quota limits (0: none) and maximal message
   * size.
   */
  private Account account(String user, long storageKb, long messages, long maxMailKb) {
    dovecot.addUser(user, "pw-" + user, storageKb, messages, maxMailKb);
    return Account.imap(dovecot.host(), dovecot.imapPort(), user, "pw-" + user)
        .trusting(dovecot.certificatePem());
  }

  /** An account holding n small messages in its INBOX. */
  private Account withMessages(String user, int n) throws Exception {
    Account account = account(user, 0, 0, 0);
    try (TestMailbox box = account.open()) {
      for (int i = 0; i < n; i++) {
        box.append(
            "INBOX",
            LimitsIntegrationTests.message(user + i, 1_000),
            Set.of(),
            Instant.parse("2025-01-01T00:00:00Z").plusSeconds(i));
      }
    }
    return account;
  }
}

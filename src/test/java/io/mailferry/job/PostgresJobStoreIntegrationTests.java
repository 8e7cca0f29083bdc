package io.mailferry.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailferry.testsupport.Account;
import io.mailferry.testsupport.ChildMailferry;
import io.mailferry.testsupport.DovecotExtension;
import io.mailferry.testsupport.DovecotServer;
import io.mailferry.testsupport.Mailferry;
import io.mailferry.testsupport.PostgresExtension;
import io.mailferry.testsupport.PostgresServer;
import io.mailferry.testsupport.TestMailbox;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** --db: the job store and ledger in a real PostgreSQL, schema applied by Flyway on first use. */
class PostgresJobStoreIntegrationTests {

  @RegisterExtension static PostgresExtension postgres = new PostgresExtension();

  @RegisterExtension
  static DovecotExtension dovecot = new DovecotExtension(DovecotServer.Layout.SLASH);

  @TempDir Path state;

  @Test
  void the_job_store_going_down_mid_run_stops_with_exit_75_and_the_rerun_completes_exactly_once()
      throws Exception {
    Account source = Account.onDovecot(dovecot.server(), "pgdownsrc");
    Account destination = Account.onDovecot(dovecot.server(), "pgdowndst");
    try (TestMailbox box = source.open()) {
      for (int i = 0; i < 1500; i++) {
        box.append(
            "INBOX",
            LimitsIntegrationTests.message("pgdown-" + i, 3_000),
            Set.of(),
            Instant.parse("2025-08-01T00:00:00Z").plusSeconds(i));
      }
    }
    List<String> args =
        List.of(
            "migrate",
            "--from",
            source.url(),
            "--to",
            destination.url(),
            "--db",
            postgres.server().jdbcUrl(),
            "--state-dir",
            state.toString(),
            "--from-trust-cert",
            dovecot.server().certificatePem().toString(),
            "--to-trust-cert",
            dovecot.server().certificatePem().toString());
    Map<String, String> env =
        Map.of(
            "MAILFERRY_FROM_PASSWORD",
            source.password(),
            "MAILFERRY_TO_PASSWORD",
            destination.password(),
            "MAILFERRY_DB_PASSWORD",
            PostgresServer.PASSWORD,
            "MAILFERRY_CHUNK_SIZE",
            "20");
    Path log = state.resolve("child.log");
    Process run = ChildMailferry.start(args, env, log);
    try {
      assertThat(KillAndResumeIntegrationTests.waitUntilCopied(run, destination, 100)).isTrue();
      postgres.server().kill();
      assertThat(run.waitFor(2, java.util.concurrent.TimeUnit.MINUTES)).isTrue();
    } finally {
      postgres.server().restart();
    }
    String output = java.nio.file.Files.readString(log);
    assertThat(run.exitValue()).as(output).isEqualTo(io.mailferry.cli.ExitCodes.TEMPORARY);
    assertThat(output).contains("job store").doesNotContain("Exception");

    var again = Mailferry.run(env, args.toArray(String[]::new));

    assertThat(again.exitCode()).as(again.toString()).isZero();
    try (TestMailbox from = source.open();
        TestMailbox to = destination.open()) {
      var copied =
          to.messages("INBOX").stream().map(TestMailbox.StoredMessage::sha256).sorted().toList();
      var original =
          from.messages("INBOX").stream().map(TestMailbox.StoredMessage::sha256).sorted().toList();
      assertThat(copied).isEqualTo(original);
    }
  }

  @Test
  void a_migration_keeps_its_ledger_in_postgresql_and_a_rerun_copies_nothing() throws Exception {
    Account source = Account.onDovecot(dovecot.server(), "pgsrc");
    Account destination = Account.onDovecot(dovecot.server(), "pgdst");
    try (TestMailbox box = source.open()) {
      box.createFolder("Família");
      for (int i = 0; i < 7; i++) {
        box.append(
            i % 2 == 0 ? "INBOX" : "Família",
            LimitsIntegrationTests.message("pg-" + i, 3_000),
            Set.of("\\Seen"),
            Instant.parse("2025-08-01T00:00:00Z").plusSeconds(i));
      }
    }
    Map<String, String> env =
        new HashMap<>(
            Map.of(
                "MAILFERRY_FROM_PASSWORD",
                source.password(),
                "MAILFERRY_TO_PASSWORD",
                destination.password(),
                "MAILFERRY_DB_PASSWORD",
                PostgresServer.PASSWORD));
    // The user given with --db-user instead of in the URL.
    String urlWithoutUser = postgres.server().jdbcUrl().replaceFirst("\\?user=.*", "");
    List<String> args =
        List.of(
            "migrate",
            "--from",
            source.url(),
            "--to",
            destination.url(),
            "--db",
            urlWithoutUser,
            "--db-user",
            PostgresServer.USER,
            "--state-dir",
            state.toString(),
            "--from-trust-cert",
            dovecot.server().certificatePem().toString(),
            "--to-trust-cert",
            dovecot.server().certificatePem().toString());

    var first = Mailferry.run(env, args.toArray(String[]::new));
    var second = Mailferry.run(env, args.toArray(String[]::new));

    assertThat(first.exitCode()).as(first.toString()).isZero();
    assertThat(second.exitCode()).as(second.toString()).isZero();
    assertThat(second.out()).containsPattern("total\\s+7\\s+0\\s+7\\s");
    try (var db =
            DriverManager.getConnection(
                postgres.server().jdbcUrl(), PostgresServer.USER, PostgresServer.PASSWORD);
        var rows =
            db.createStatement()
                .executeQuery("SELECT COUNT(*), COUNT(DISTINCT sha256) FROM mf_ledger")) {
      rows.next();
      assertThat(rows.getLong(1)).isEqualTo(7);
      assertThat(rows.getLong(2)).isEqualTo(7);
    }
    var status =
        Mailferry.run(
            env, "status", "--db", postgres.server().jdbcUrl(), "--state-dir", state.toString());
    assertThat(status.out())
        .contains("COMPLETED")
        .contains("pgsrc@127.0.0.1")
        .contains("7/7")
        .doesNotContain("pw-pg");
  }
}

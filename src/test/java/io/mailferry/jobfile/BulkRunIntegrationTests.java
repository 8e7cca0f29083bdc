package io.mailferry.jobfile;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailferry.cli.ExitCodes;
import io.mailferry.testsupport.Account;
import io.mailferry.testsupport.DovecotExtension;
import io.mailferry.testsupport.DovecotServer;
import io.mailferry.testsupport.Mailferry;
import io.mailferry.testsupport.TestMailbox;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** `mailferry run` of job files against a real Dovecot: one account, and a bulk job from a CSV. */
class BulkRunIntegrationTests {

  @RegisterExtension
  static DovecotExtension dovecot = new DovecotExtension(DovecotServer.Layout.SLASH);

  @TempDir Path dir;

  @Test
  void a_bulk_job_runs_every_account_and_a_wrong_password_fails_only_its_own_row()
      throws Exception {
    DovecotServer server = dovecot.server();
    List<String> users = List.of("bulka", "bulkb", "bulkc");
    Map<String, String> env = new HashMap<>();
    for (String user : users) {
      Account source = Account.onDovecot(server, user);
      Account.onDovecot(server, user + "new");
      fill(source, user, 20, 5);
      env.put("SRC_" + user, source.password());
      env.put("DST_" + user + "new", "pw-" + user + "new");
    }
    env.put("SRC_bulkb", "not-the-password");
    Files.writeString(
        dir.resolve("accounts.csv"),
        """
        # three accounts, one line each
        from_user,to_user
        bulka,bulkanew
        bulkb,bulkbnew
        bulkc,bulkcnew
        """);
    Path job =
        Files.writeString(
            dir.resolve("domain.yml"),
            """
        kind: migrate
        from: imap://%1$s:%2$d
        to: imap://%1$s:%2$d
        trust-cert: %3$s
        csv: accounts.csv
        max-parallel-accounts: 3
        from-secret: env:SRC_{from_user}
        to-secret: env:DST_{to_user}
        max-connections: 2
        """
                .formatted(server.host(), server.imapPort(), server.certificatePem()));
    Path state = dir.resolve("state");

    Mailferry.Result first =
        Mailferry.run(env, "run", job.toString(), "--state-dir", state.toString());
    System.out.println("Bulk run, one wrong password:\n" + first);

    // The highest exit code of an account: bulkb's refused login.
    assertThat(first.exitCode()).as(first.toString()).isEqualTo(ExitCodes.NO_PERMISSION);
    String port = ":" + server.imapPort();
    assertThat(first.out())
        .containsPattern(
            "bulka@127\\.0\\.0\\.1"
                + port
                + " +bulkanew@127\\.0\\.0\\.1"
                + port
                + " +ok +25 .* 0\\n")
        .containsPattern(
            "bulkb@127\\.0\\.0\\.1"
                + port
                + " +bulkbnew@127\\.0\\.0\\.1"
                + port
                + " +login-refused +0 .* 77\\n")
        .containsPattern(
            "bulkc@127\\.0\\.0\\.1"
                + port
                + " +bulkcnew@127\\.0\\.0\\.1"
                + port
                + " +ok +25 .* 0\\n")
        .contains("total: 3 accounts, 2 ok, 1 not ok; 50 messages")
        .doesNotContain("not-the-password");
    assertThat(count("bulkanew")).isEqualTo(25);
    assertThat(count("bulkbnew")).isZero();
    assertThat(count("bulkcnew")).isEqualTo(25);

    JsonNode report = onlyBulkReport(state);
    System.out.println("Bulk report JSON:\n" + report.toPrettyString());
    assertThat(report.get("exitCode").asInt()).isEqualTo(77);
    assertThat(report.get("started").asString()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
    assertThat(report.get("ok").asInt()).isEqualTo(2);
    assertThat(report.get("accounts")).hasSize(3);
    JsonNode b = report.get("accounts").get(1);
    assertThat(b.get("from").asString()).isEqualTo("bulkb@127.0.0.1" + port);
    assertThat(b.get("outcome").asString()).isEqualTo("login-refused");
    assertThat(b.get("reason").asString())
        .containsIgnoringCase("source")
        .containsIgnoringCase("login");
    assertThat(report.get("accounts").get(0).get("messages").asLong()).isEqualTo(25);
    assertThat(report.get("accounts").get(0).get("bytes").asLong()).isPositive();
    // Each account also leaves its own run report, named after the job, with its own exit code.
    List<JsonNode> runs = accountReports(state);
    assertThat(runs).extracting(r -> r.get("jobName").asString()).containsOnly("domain").hasSize(3);
    assertThat(runs)
        .filteredOn(r -> r.get("from").asString().contains("bulkb@"))
        .extracting(r -> r.get("exitCode").asInt())
        .containsExactly(77);
    assertThat(Mailferry.run(env, "status", "--state-dir", state.toString()).out())
        .contains("domain");

    // With the password fixed, the same job finishes bulkb and copies nothing twice elsewhere.
    env.put("SRC_bulkb", "pw-bulkb");
    Mailferry.Result second =
        Mailferry.run(env, "run", job.toString(), "--state-dir", state.toString());
    assertThat(second.exitCode()).as(second.toString()).isZero();
    assertThat(second.out())
        .containsPattern("bulka@\\S+ +bulkanew@\\S+ +ok +0 .* 0\\n")
        .containsPattern("bulkb@\\S+ +bulkbnew@\\S+ +ok +25 .* 0\\n")
        .contains("total: 3 accounts, 3 ok, 0 not ok; 25 messages");
    for (String user : users) {
      assertThat(count(user + "new")).isEqualTo(25);
    }
  }

  @Test
  void csv_users_reach_a_command_as_one_quoted_word_and_never_lead_a_backup_out_of_its_directory()
      throws Exception {
    DovecotServer server = dovecot.server();
    fill(Account.onDovecot(server, "bulkg"), "g", 4, 1);
    fill(Account.onDovecot(server, "bulke"), "e", 4, 1);
    Path pwned = dir.resolve("pwned");
    Path commands = dir.resolve("commands.log");
    // A CSV someone else wrote: shell text in a user name, and a to_user that climbs out of
    // backup/.
    Files.writeString(
        dir.resolve("accounts.csv"),
        """
        from_user,to_user
        bulkg,bulkg
        "bulkh;touch %s;echo",bulkhsafe
        bulke,../../escaped
        """
            .formatted(pwned));
    // The job file's command is trusted; it logs the word it was given, so the test sees that it
    // ran.
    Path job =
        Files.writeString(
            dir.resolve("backups.yml"),
            """
        kind: backup
        from: imap://%1$s:%2$d
        to: area/backup/{to_user}
        trust-cert: %3$s
        csv: accounts.csv
        from-secret: command:printf '%%s\\n' pw-{from_user} | tee -a %4$s
        """
                .formatted(server.host(), server.imapPort(), server.certificatePem(), commands));

    Mailferry.Result r =
        Mailferry.run(
            Map.of(), "run", job.toString(), "--state-dir", dir.resolve("state").toString());
    System.out.println("Bulk backup from a hostile CSV:\n" + r);

    assertThat(Files.readAllLines(commands))
        .as("the command ran, with the user as one word")
        .contains("pw-bulkg", "pw-bulkh;touch " + pwned + ";echo");
    assertThat(pwned).as("the CSV's shell text did not run").doesNotExist();
    assertThat(dir.resolve("escaped")).doesNotExist();
    assertThat(dir.resolve("area/escaped")).doesNotExist();
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.CONFIG);
    assertThat(r.out())
        .containsPattern("bulkg@\\S+ +\\S+ +ok +5 .* 0\\n")
        .containsPattern("bulke@\\S+ +\\S+ +bad-configuration +0 .* 78\\n")
        .contains(
            dir.resolve("accounts.csv")
                + ":4: to: the user name '../../escaped' cannot go into the path "
                + "area/backup/{to_user}: a name in a path may not contain /, .., a NUL or a control character.");
    try (Stream<Path> backedUp = Files.walk(dir.resolve("area/backup/bulkg"))) {
      assertThat(backedUp.filter(f -> f.getParent().getFileName().toString().equals("cur")))
          .hasSize(5);
    }
    try (Stream<Path> everything = Files.walk(dir)) {
      assertThat(everything.filter(f -> f.getFileName().toString().equals("escaped"))).isEmpty();
    }
  }

  @Test
  void a_single_job_file_runs_like_its_command_line_with_the_same_exit_codes() throws Exception {
    DovecotServer server = dovecot.server();
    Account source = Account.onDovecot(server, "onesrc");
    Account.onDovecot(server, "onedst");
    fill(source, "one", 6, 2);
    Files.writeString(dir.resolve("dst.pw"), "pw-onedst\n");
    Path job =
        Files.writeString(
            dir.resolve("one.yml"),
            """
        kind: migrate
        from: imap://onesrc@%1$s:%2$d
        to: imap://onedst@%1$s:%2$d
        trust-cert: %3$s
        to-secret: file:dst.pw
        include: [INBOX]
        """
                .formatted(server.host(), server.imapPort(), server.certificatePem()));
    Path state = dir.resolve("state");

    Mailferry.Result wrong =
        Mailferry.run(
            Map.of("MAILFERRY_FROM_PASSWORD", "wrong"),
            "run",
            job.toString(),
            "--state-dir",
            state.toString());
    assertThat(wrong.exitCode()).as(wrong.toString()).isEqualTo(ExitCodes.NO_PERMISSION);
    assertThat(wrong.err().lines().toList()).hasSize(1);

    Mailferry.Result ok =
        Mailferry.run(
            Map.of("MAILFERRY_FROM_PASSWORD", "pw-onesrc"),
            "run",
            job.toString(),
            "--state-dir",
            state.toString());
    assertThat(ok.exitCode()).as(ok.toString()).isZero();
    assertThat(ok.out()).contains("INBOX").containsPattern("total +6 +6 ");
    assertThat(count("onedst")).isEqualTo(6); // only INBOX: include
  }

  private static void fill(Account account, String tag, int inbox, int work) throws Exception {
    try (TestMailbox box = account.open()) {
      box.createFolder("Work");
      for (int i = 0; i < inbox + work; i++) {
        byte[] raw =
            ("From: a@example.org\r\nSubject: "
                    + tag
                    + " "
                    + i
                    + "\r\nMessage-ID: <"
                    + tag
                    + "-"
                    + i
                    + "@example.org>\r\n\r\nbody "
                    + i
                    + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        box.append(
            i < inbox ? "INBOX" : "Work",
            raw,
            Set.of(),
            Instant.parse("2025-01-01T00:00:00Z").plusSeconds(i));
      }
    }
  }

  private static int count(String user) throws Exception {
    Account account = Account.onDovecotExisting(dovecot.server(), user);
    try (TestMailbox box = account.open()) {
      return box.count("INBOX") + (box.folders().contains("Work") ? box.count("Work") : 0);
    }
  }

  private static List<JsonNode> accountReports(Path state) throws Exception {
    try (Stream<Path> files = Files.list(state.resolve("reports"))) {
      List<JsonNode> reports = new java.util.ArrayList<>();
      for (Path f : files.filter(f -> f.getFileName().toString().matches("\\d+\\.json")).toList()) {
        reports.add(JsonMapper.builder().build().readTree(Files.readString(f)));
      }
      return reports;
    }
  }

  private static JsonNode onlyBulkReport(Path state) throws Exception {
    try (Stream<Path> files = Files.list(state.resolve("reports"))) {
      List<Path> bulk =
          files.filter(f -> f.getFileName().toString().startsWith("bulk-domain-")).toList();
      assertThat(bulk).hasSize(1);
      return JsonMapper.builder().build().readTree(Files.readString(bulk.get(0)));
    }
  }
}

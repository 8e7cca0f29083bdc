package io.mailferry.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailferry.testsupport.Account;
import io.mailferry.testsupport.ChildMailferry;
import io.mailferry.testsupport.DovecotExtension;
import io.mailferry.testsupport.DovecotServer;
import io.mailferry.testsupport.TestMailbox;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a real mailferry process prints on its console (child JVMs, so logback's console output is
 * seen as a user sees it): --verbose never shows a secret anywhere, the progress bar and lines, and
 * --quiet.
 */
class ConsoleOutputIntegrationTests {

  private static final String SOURCE_SECRET = "Src-Qx7Zebra-Unlikely-4481";
  private static final String DESTINATION_SECRET = "Dst-Wombat9-Unlikely-7723";
  private static final String DB_SECRET = "Db-Narwhal3-Unlikely-5150";

  @RegisterExtension
  static DovecotExtension dovecot = new DovecotExtension(DovecotServer.Layout.SLASH);

  @TempDir Path state;

  @Test
  void
      verbose_logs_debug_lines_but_the_password_is_nowhere_on_the_console_in_the_log_the_reports_or_the_job_store()
          throws Exception {
    Account source = account("vsrc", SOURCE_SECRET, 5);
    Account destination = account("vdst", DESTINATION_SECRET, 0);

    // The destination's secret comes from a password command that also writes its environment
    // down: a child process must not see mailferry's secrets (they stay set in mailferry's own).
    Path secrets = Files.createTempDirectory("mailferry-secrets");
    Path passwordFile = Files.writeString(secrets.resolve("dst.pw"), DESTINATION_SECRET + "\n");
    Path childEnv = state.resolve("password-command-env.txt");
    Run run =
        mailferry(
            source,
            destination,
            Map.of("MAILFERRY_CHUNK_SIZE", "2", "MAILFERRY_DB_PASSWORD", DB_SECRET),
            "--verbose",
            "--progress=lines",
            "--to-password-command",
            "env > " + childEnv + "; cat " + passwordFile);
    Files.delete(passwordFile);
    Files.delete(secrets);

    assertThat(run.exit()).as(run.output()).isZero();
    assertThat(Files.readString(childEnv))
        .contains("MAILFERRY_CHUNK_SIZE=2")
        .doesNotContain(SOURCE_SECRET)
        .doesNotContain(DESTINATION_SECRET)
        .doesNotContain(DB_SECRET);
    try (TestMailbox box = destination.open()) {
      assertThat(box.count("INBOX")).isEqualTo(5);
    }
    String log = Files.readString(state.resolve("mailferry.log"));
    assertThat(run.output()).contains("connecting to").contains("chunk committed");
    assertThat(log).contains("DEBUG").contains("as vsrc").contains("as vdst");
    assertThat(run.output())
        .doesNotContain(SOURCE_SECRET)
        .doesNotContain(DESTINATION_SECRET)
        .doesNotContain(DB_SECRET);
    List<Path> files;
    try (Stream<Path> all = Files.walk(state)) {
      files = all.filter(Files::isRegularFile).toList();
    }
    assertThat(files)
        .contains(state.resolve("mailferry.log"), state.resolve("jobstore.mv.db"))
        .anyMatch(f -> f.getParent().equals(state.resolve("reports")));
    for (Path file : files) {
      String bytes = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
      assertThat(bytes)
          .as(file.toString())
          .doesNotContain(SOURCE_SECRET)
          .doesNotContain(DESTINATION_SECRET)
          .doesNotContain(DB_SECRET);
    }
  }

  @Test
  void on_a_terminal_the_bar_is_redrawn_in_place_and_ends_at_100_percent() throws Exception {
    Account source = account("barsrc", "pw-barsrc", 40);
    Account destination = account("bardst", "pw-bardst", 0);

    Run run =
        mailferry(
            source,
            destination,
            Map.of("MAILFERRY_PROGRESS_EVERY_MS", "20", "MAILFERRY_CHUNK_SIZE", "5"),
            "--progress=bar",
            "--max-connections",
            "1");

    assertThat(run.exit()).as(run.output()).isZero();
    // Redrawn: each new drawing first moves up over the last one and clears it.
    assertThat(run.output()).contains("\033[1A\033[2K\r" + source.url());
    String last =
        run.output().lines().filter(l -> l.contains("[#")).reduce((a, b) -> b).orElseThrow();
    assertThat(last)
        .contains(source.url())
        .contains("bardst@")
        .contains("[" + "#".repeat(24) + "] 100% 40/40 msgs");
    assertThat(run.output()).doesNotContain("progress " + source.url());
  }

  @Test
  void without_a_terminal_a_plain_progress_line_comes_every_interval() throws Exception {
    Account source = account("linesrc", "pw-linesrc", 40);
    Account destination = account("linedst", "pw-linedst", 0);

    Run run =
        mailferry(
            source,
            destination,
            Map.of("MAILFERRY_PROGRESS_EVERY_MS", "20", "MAILFERRY_CHUNK_SIZE", "5"),
            "--max-connections",
            "1");

    assertThat(run.exit()).as(run.output()).isZero();
    String pair = source.url() + " → " + destination.url();
    assertThat(run.output()).doesNotContain("\033[").doesNotContain("[#");
    assertThat(run.output().lines().filter(l -> l.startsWith("progress " + pair + ": ")))
        .isNotEmpty()
        .allMatch(
            l ->
                l.matches(
                    ".*: \\d+ of 40 messages done \\(\\d+%\\), .* copied, \\d+ messages/s, .*"));
  }

  @Test
  void quiet_prints_one_line_and_no_progress_warning_or_quota_line() throws Exception {
    Account source = account("quietsrc", "pw-quietsrc", 3);
    Account destination = account("quietdst", "pw-quietdst", 0);

    Run run =
        mailferry(source, destination, Map.of("MAILFERRY_PROGRESS_EVERY_MS", "20"), "--quiet");

    assertThat(run.exit()).as(run.output()).isZero();
    assertThat(run.output().lines().toList())
        .singleElement()
        .asString()
        .startsWith("mailferry: " + source.url())
        .endsWith("exit 0");
  }

  private record Run(int exit, String output) {}

  private Run mailferry(
      Account source, Account destination, Map<String, String> extraEnv, String... options)
      throws Exception {
    Path cert = dovecot.server().certificatePem();
    List<String> args =
        new ArrayList<>(
            List.of(
                "migrate",
                "--from",
                source.url(),
                "--to",
                destination.url(),
                "--from-trust-cert",
                cert.toString(),
                "--to-trust-cert",
                cert.toString(),
                "--state-dir",
                state.toString()));
    args.addAll(List.of(options));
    Map<String, String> env = new HashMap<>(extraEnv);
    env.put("MAILFERRY_FROM_PASSWORD", source.password());
    env.put("MAILFERRY_TO_PASSWORD", destination.password());
    Path output = Files.createTempFile("mailferry-console", ".txt");
    try {
      Process child = ChildMailferry.start(args, env, output);
      assertThat(child.waitFor(120, TimeUnit.SECONDS)).as("the child ended").isTrue();
      return new Run(child.exitValue(), Files.readString(output));
    } finally {
      Files.deleteIfExists(output);
    }
  }

  private Account account(String user, String password, int messages) throws Exception {
    DovecotServer server = dovecot.server();
    server.addUser(user, password);
    Account account =
        Account.imap(server.host(), server.imapPort(), user, password)
            .trusting(server.certificatePem());
    try (TestMailbox box = account.open()) {
      for (int i = 0; i < messages; i++) {
        box.append(
            "INBOX",
            LimitsIntegrationTests.message(user + i, 2_000),
            Set.of(),
            Instant.parse("2025-02-01T00:00:00Z").plusSeconds(i));
      }
    }
    return account;
  }
}

package io.mailferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import io.mailferry.testsupport.Account;
import io.mailferry.testsupport.DovecotExtension;
import io.mailferry.testsupport.DovecotServer;
import io.mailferry.testsupport.Mailferry;
import io.mailferry.testsupport.Mailferry.Result;
import io.mailferry.testsupport.TestMailbox;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input, as a user types it: every case ends with one plain sentence on standard error and the
 * documented exit code, never a stack trace, and no secret anywhere.
 */
class CommandLineIntegrationTests {

  @RegisterExtension
  static GreenMailExtension greenMail =
      new GreenMailExtension(
          new ServerSetup(3143, "127.0.0.1", ServerSetup.PROTOCOL_IMAP).dynamicPort());

  @RegisterExtension
  static DovecotExtension dovecot = new DovecotExtension(DovecotServer.Layout.SLASH);

  @TempDir Path state;
  Account source;
  Account destination;

  @BeforeAll
  static void startDovecot() {
    dovecot.server().addUser("tls-src", "Tls-Secret-4711");
    dovecot.server().addUser("tls-dst", "Tls-Secret-4711");
  }

  @BeforeEach
  void accounts() {
    greenMail.setUser("alice@old", "alice", "Src-Secret-8842");
    greenMail.setUser("bob@new", "bob", "Dst-Secret-9931");
    int port = greenMail.getImap().getPort();
    source = Account.imap("127.0.0.1", port, "alice", "Src-Secret-8842");
    destination = Account.imap("127.0.0.1", port, "bob", "Dst-Secret-9931");
  }

  @Test
  void a_malformed_url_is_bad_usage() {
    Result r =
        Mailferry.run(
            Map.of(), "migrate", "--from", "alice at old host", "--to", destination.url());
    assertOneSentence(r, ExitCodes.USAGE, "source");
  }

  @Test
  void an_unknown_scheme_is_bad_usage() {
    Result r =
        Mailferry.run(
            Map.of(), "migrate", "--from", "http://alice@host", "--to", destination.url());
    assertOneSentence(r, ExitCodes.USAGE, "imap://");
  }

  @Test
  void a_missing_option_is_bad_usage() {
    Result r = Mailferry.run(Map.of(), "migrate", "--from", source.url());
    assertOneSentence(r, ExitCodes.USAGE, "--to");
  }

  @Test
  void a_password_in_the_url_is_refused_without_echoing_it() {
    Result r =
        Mailferry.run(
            Map.of(),
            "migrate",
            "--from",
            "imap://alice:Leaky-Secret@127.0.0.1",
            "--to",
            destination.url());
    assertOneSentence(r, ExitCodes.USAGE, "password");
    assertThat(r.err() + r.out()).doesNotContain("Leaky-Secret");
  }

  @Test
  void an_unreadable_password_file_is_a_configuration_error() {
    Path missing = state.resolve("no-such-password");
    Result r =
        Mailferry.run(
            Map.of("MAILFERRY_TO_PASSWORD", "x"),
            "migrate",
            "--from",
            source.url(),
            "--to",
            destination.url(),
            "--from-password-file",
            missing.toString(),
            "--state-dir",
            state.toString());
    assertOneSentence(r, ExitCodes.CONFIG, missing.toString());
  }

  @Test
  void no_password_at_all_is_a_configuration_error_that_says_where_to_put_it() {
    Result r =
        Mailferry.run(
            Map.of(),
            "migrate",
            "--from",
            source.url(),
            "--to",
            destination.url(),
            "--state-dir",
            state.toString());
    assertOneSentence(r, ExitCodes.CONFIG, "MAILFERRY_FROM_PASSWORD");
  }

  @Test
  void a_wrong_source_password_is_login_refused_and_names_the_source() {
    Result r =
        Mailferry.migrate(
            Account.imap(source.host(), source.port(), "alice", "wrong"), destination, state);
    assertOneSentence(r, ExitCodes.NO_PERMISSION, "source");
  }

  @Test
  void a_wrong_destination_password_is_login_refused_and_names_the_destination() {
    Result r =
        Mailferry.migrate(
            source, Account.imap(destination.host(), destination.port(), "bob", "wrong"), state);
    assertOneSentence(r, ExitCodes.NO_PERMISSION, "destination");
  }

  @Test
  void an_unreachable_host_is_unavailable_and_names_the_side() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    Result r = Mailferry.migrate(source, Account.imap("127.0.0.1", closedPort, "bob", "x"), state);
    assertOneSentence(r, ExitCodes.UNAVAILABLE, "destination");
  }

  @Test
  void an_unknown_host_is_unavailable() {
    Result r =
        Mailferry.migrate(
            Account.imap("no-such-host.invalid", 143, "alice", "x"), destination, state);
    assertOneSentence(r, ExitCodes.UNAVAILABLE, "no-such-host.invalid");
  }

  @Test
  void a_folder_map_naming_no_folder_is_a_configuration_error() {
    Result r = Mailferry.migrate(source, destination, state, "--folder-map", "Nowhere=Somewhere");
    assertOneSentence(r, ExitCodes.CONFIG, "Nowhere");
  }

  @Test
  void an_untrusted_certificate_is_a_tls_failure_and_trusting_it_works() {
    Account from =
        Account.imap("localhost", dovecot.server().imapPort(), "tls-src", "Tls-Secret-4711");
    Account to =
        Account.imap("localhost", dovecot.server().imapPort(), "tls-dst", "Tls-Secret-4711");

    Result refused = Mailferry.migrate(from, to, state);
    assertOneSentence(refused, ExitCodes.UNAVAILABLE, "TLS");
    assertThat(refused.err()).contains("certificate");

    Result trusted =
        Mailferry.migrate(
            from.trusting(dovecot.server().certificatePem()),
            to.trusting(dovecot.server().certificatePem()),
            state);
    assertThat(trusted.exitCode()).as(() -> trusted + readLog()).isZero();
  }

  @Test
  void implicit_tls_works_with_a_trusted_certificate() {
    Account from =
        new Account(
            "imaps",
            "localhost",
            dovecot.server().imapsPort(),
            "tls-src",
            "Tls-Secret-4711",
            dovecot.server().certificatePem());
    Result r = Mailferry.migrate(from, source, state);
    assertThat(r.exitCode()).as(r.toString()).isZero();
  }

  @Test
  void a_password_command_is_run_and_its_secret_is_never_stored_or_printed() throws Exception {
    try (TestMailbox box = source.open()) {
      box.append(
          "INBOX",
          "Subject: hi\r\n\r\nhello\r\n".getBytes(StandardCharsets.US_ASCII),
          Set.of("\\Seen"),
          Instant.parse("2025-05-05T05:05:05Z"));
    }
    Path passwordFile = state.resolve("dst-password");
    Files.writeString(passwordFile, destination.password() + "\n");

    Result r =
        Mailferry.run(
            Map.of(),
            "migrate",
            "--from",
            source.url(),
            "--to",
            destination.url(),
            "--from-password-command",
            "printf '%s' " + source.password(),
            "--to-password-file",
            passwordFile.toString(),
            "--state-dir",
            state.toString(),
            "--report",
            state.resolve("report.json").toString());

    assertThat(r.exitCode()).as(r.toString()).isZero();
    Files.delete(passwordFile);
    assertThat(r.out() + r.err())
        .doesNotContain(source.password())
        .doesNotContain(destination.password());
    // Nothing mailferry wrote — job store, log, report — holds either secret.
    try (Stream<Path> files = Files.walk(state)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String content = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
        assertThat(content)
            .as(f.toString())
            .doesNotContain(source.password())
            .doesNotContain(destination.password());
      }
    }
  }

  @Test
  void a_password_command_runs_once_per_run_however_many_logins() throws Exception {
    fourFoldersOfOneMessage();
    Path calls = state.resolve("password-calls");

    Result r =
        Mailferry.run(
            Map.of("MAILFERRY_TO_PASSWORD", destination.password()),
            "migrate",
            "--from",
            source.url(),
            "--to",
            destination.url(),
            "--max-connections",
            "4",
            "--from-password-command",
            "echo call >> " + calls + "; printf '%s' " + source.password(),
            "--state-dir",
            state.toString());

    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(Files.readAllLines(calls)).hasSize(1);
    try (TestMailbox box = destination.open()) {
      assertThat(box.messages("D")).hasSize(1);
    }
  }

  @Test
  void an_oauth2_token_is_fetched_again_at_every_login() throws Exception {
    fourFoldersOfOneMessage();
    Path calls = state.resolve("token-calls");
    // GreenMail accepts the account's password as its XOAUTH2 token.
    String tokenCommand = "echo call >> " + calls + "; printf '%s' " + source.password();

    Result r =
        Mailferry.run(
            Map.of("MAILFERRY_TO_PASSWORD", destination.password()),
            "migrate",
            "--from",
            source.url(),
            "--to",
            destination.url(),
            "--from-auth",
            "xoauth2",
            "--from-password-command",
            tokenCommand,
            "--state-dir",
            state.toString());

    assertThat(r.exitCode()).as(r.toString()).isZero();
    long logins =
        Files.readAllLines(calls).size(); // the call that checks the command serves the first login
    assertThat(logins)
        .as("one token per login; several folders copy on several connections")
        .isGreaterThan(1);
    try (TestMailbox box = destination.open()) {
      assertThat(box.messages("D")).hasSize(1);
    }
  }

  @Test
  void pop3_as_the_destination_or_pop3_options_on_an_imap_source_are_refused_in_one_sentence() {
    Result toPop =
        Mailferry.run(
            Map.of(), "migrate", "--from", destination.url(), "--to", "pop3://alice@127.0.0.1");
    assertOneSentence(toPop, ExitCodes.USAGE, "pop3://");
    Result deleteImap =
        Mailferry.run(
            Map.of(),
            "migrate",
            "--from",
            destination.url(),
            "--to",
            destination.url(),
            "--delete-after-copy");
    assertOneSentence(deleteImap, ExitCodes.USAGE, "POP3 source");
  }

  @Test
  void an_unreachable_pop3_host_is_one_sentence_and_exit_69() throws Exception {
    int closedPort;
    try (var s = new java.net.ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    Result r =
        Mailferry.run(
            Map.of("MAILFERRY_FROM_PASSWORD", "x", "MAILFERRY_TO_PASSWORD", "y"),
            "migrate",
            "--from",
            "pop3://alice@127.0.0.1:" + closedPort,
            "--to",
            destination.url(),
            "--state-dir",
            state.toString());
    assertOneSentence(r, ExitCodes.UNAVAILABLE, "127.0.0.1:" + closedPort);
  }

  /** Several folders copy on several connections: several logins. */
  private void fourFoldersOfOneMessage() throws Exception {
    for (String folder : List.of("A", "B", "C", "D")) {
      try (TestMailbox box = source.open()) {
        box.createFolder(folder);
        box.append(
            folder,
            ("Subject: " + folder + "\r\n\r\nx\r\n").getBytes(StandardCharsets.US_ASCII),
            Set.of(),
            Instant.parse("2025-05-05T05:05:05Z"));
      }
    }
  }

  private String readLog() {
    try {
      return Files.readString(state.resolve("mailferry.log"));
    } catch (java.io.IOException e) {
      return "(no log: " + e + ")";
    }
  }

  private static void assertOneSentence(Result r, int exitCode, String mentions) {
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(exitCode);
    List<String> lines = r.err().strip().lines().toList();
    assertThat(lines).as(r.toString()).hasSize(1);
    assertThat(lines.get(0)).startsWith("mailferry: ").contains(mentions);
    assertThat(r.err() + r.out()).doesNotContain("Exception").doesNotContain("\tat ");
  }
}

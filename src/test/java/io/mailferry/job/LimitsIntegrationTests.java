package io.mailferry.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailferry.testsupport.Account;
import io.mailferry.testsupport.DovecotExtension;
import io.mailferry.testsupport.DovecotServer;
import io.mailferry.testsupport.LoopbackProxy;
import io.mailferry.testsupport.Mailferry;
import io.mailferry.testsupport.TestMailbox;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bounded connections and bounded memory, against a real Dovecot whose own per-user limit is the
 * cap: going over it would be a login refusal, not a silent pass.
 */
class LimitsIntegrationTests {

  private static final int CAP = 3;

  @RegisterExtension
  static DovecotExtension dovecot = new DovecotExtension(DovecotServer.Layout.SLASH, CAP);

  @TempDir Path state;

  @Test
  void twelve_folders_copy_through_at_most_the_capped_number_of_connections_per_account()
      throws Exception {
    Account source = account("capsrc");
    Account destination = account("capdst");
    try (TestMailbox box = source.open()) {
      for (int f = 0; f < 12; f++) {
        box.createFolder("Folder" + f);
        for (int m = 0; m < 5; m++) {
          box.append(
              "Folder" + f,
              message("f" + f + "m" + m, 2_000),
              Set.of("\\Seen"),
              Instant.parse("2025-06-01T00:00:00Z").plusSeconds(f * 100L + m));
        }
      }
    }

    Path report = state.resolve("report.json");
    // Counted in front of Dovecot: the connections the servers saw at once, whatever mailferry
    // thinks it holds.
    try (LoopbackProxy sourceSide = proxyTo();
        LoopbackProxy destinationSide = proxyTo()) {
      var run =
          Mailferry.migrate(
              through(sourceSide, source),
              through(destinationSide, destination),
              state,
              "--max-connections",
              String.valueOf(CAP),
              "--report",
              report.toString());

      assertThat(run.exitCode()).as(run.toString()).isZero();
      String json = Files.readString(report);
      assertThat(json).containsPattern("\"peakSourceConnections\" : [1-" + CAP + "]");
      assertThat(json).containsPattern("\"peakDestinationConnections\" : [1-" + CAP + "]");
      System.out.printf(
          "--max-connections %d: at most %d source and %d destination connections at once%n",
          CAP, sourceSide.peak(), destinationSide.peak());
      assertThat(sourceSide.peak()).as("source connections open at once").isBetween(2, CAP);
      assertThat(destinationSide.peak())
          .as("destination connections open at once")
          .isBetween(2, CAP);
    }
    try (TestMailbox box = destination.open()) {
      for (int f = 0; f < 12; f++) {
        assertThat(box.messages("Folder" + f)).hasSize(5);
      }
    }
  }

  @Test
  void a_200_mb_message_migrates_in_a_jvm_limited_to_256_mb_with_its_bytes_unchanged()
      throws Exception {
    Account source = account("bigsrc");
    Account destination = account("bigdst");
    byte[] big = message("big", 200 * 1024 * 1024);
    try (TestMailbox box = source.open()) {
      box.append("INBOX", big, Set.of("\\Flagged"), Instant.parse("2025-07-01T12:00:00Z"));
    }
    big = null;

    // A child JVM with -Xmx256m runs the real command line.
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command =
        new ArrayList<>(
            List.of(
                java,
                "-Xmx256m",
                "-cp",
                testClassPath(),
                "io.mailferry.cli.Main",
                "migrate",
                "--from",
                source.url(),
                "--to",
                destination.url(),
                "--state-dir",
                state.toString(),
                "--max-connections",
                String.valueOf(CAP),
                "--from-trust-cert",
                dovecot.server().certificatePem().toString(),
                "--to-trust-cert",
                dovecot.server().certificatePem().toString()));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("MAILFERRY_FROM_PASSWORD", source.password());
    pb.environment().put("MAILFERRY_TO_PASSWORD", destination.password());
    Process p = pb.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();

    assertThat(p.exitValue()).as(output).isZero();
    try (TestMailbox from = source.open();
        TestMailbox to = destination.open()) {
      var copied = to.messages("INBOX");
      assertThat(copied).hasSize(1);
      var original = from.messages("INBOX").get(0);
      assertThat(copied.get(0).sha256()).isEqualTo(original.sha256());
      assertThat(copied.get(0).internalDate()).isEqualTo(original.internalDate());
      assertThat(copied.get(0).flags()).contains("\\Flagged");
    }
  }

  private static Account account(String user) {
    return Account.onDovecot(dovecot.server(), user);
  }

  private static LoopbackProxy proxyTo() throws java.io.IOException {
    return new LoopbackProxy(dovecot.server().host(), dovecot.server().imapPort());
  }

  private static Account through(LoopbackProxy proxy, Account account) {
    return Account.imap("127.0.0.1", proxy.port(), account.user(), account.password())
        .trusting(dovecot.server().certificatePem());
  }

  /** A CRLF message of about {@code size} bytes: headers, then 76-character lines. */
  static byte[] message(String id, int size) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(size + 1024);
    out.writeBytes(
        ("From: big@example.org\r\nTo: you@example.org\r\nSubject: "
                + id
                + "\r\nMessage-ID: <"
                + id
                + "@example.org>\r\nContent-Type: text/plain\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    byte[] line =
        ("abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-" + id + "-0123456789")
            .substring(0, 76)
            .concat("\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    while (out.size() < size) {
      out.writeBytes(line);
    }
    return out.toByteArray();
  }

  /** Surefire runs tests from a manifest-only jar; it publishes the real class path here. */
  private static String testClassPath() {
    String cp = System.getProperty("surefire.test.class.path");
    return cp != null ? cp : System.getProperty("java.class.path");
  }
}

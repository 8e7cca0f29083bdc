package io.mailferry.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import io.mailferry.testsupport.Account;
import io.mailferry.testsupport.LoopbackProxy;
import io.mailferry.testsupport.Mailferry;
import io.mailferry.testsupport.ScriptedImapDestination;
import io.mailferry.testsupport.TestMailbox;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The migrate contract between two in-process GreenMail servers, one of each per class (each test
 * has fresh users), reached through proxies that acknowledge at once: GreenMail answers without
 * TCP_NODELAY, so every command with an untagged answer would wait about 40 ms for a delayed ACK
 * (see {@link LoopbackProxy#acknowledgingAtOnce}), which made this class four times slower than on
 * Dovecot.
 */
class GreenMailMigrateIntegrationTests extends MigrateContract {

  private static final AtomicInteger USERS = new AtomicInteger();

  @RegisterExtension
  static GreenMailExtension sourceServer =
      new GreenMailExtension(
              new ServerSetup(3143, "127.0.0.1", ServerSetup.PROTOCOL_IMAP).dynamicPort())
          .withPerMethodLifecycle(false);

  @RegisterExtension
  static GreenMailExtension destinationServer =
      new GreenMailExtension(
              new ServerSetup(3144, "127.0.0.1", ServerSetup.PROTOCOL_IMAP).dynamicPort())
          .withPerMethodLifecycle(false);

  private static LoopbackProxy toSource;
  private static LoopbackProxy toDestination;

  @BeforeAll
  static void proxies() throws IOException {
    toSource = LoopbackProxy.acknowledgingAtOnce("127.0.0.1", sourceServer.getImap().getPort());
    toDestination =
        LoopbackProxy.acknowledgingAtOnce("127.0.0.1", destinationServer.getImap().getPort());
  }

  @AfterAll
  static void closeProxies() throws IOException {
    toSource.close();
    toDestination.close();
  }

  @Test
  void
      keywords_the_destination_cannot_store_are_dropped_with_a_warning_and_the_message_still_arrives()
          throws Exception {
    byte[] raw =
        ("From: a@example.org\r\nSubject: flags\r\nMessage-ID: <flags@example.org>\r\n\r\nhi\r\n")
            .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    append(
        source,
        "INBOX",
        raw,
        java.util.Set.of("\\Seen", "\\Flagged", "$Forwarded", "custom_kw"),
        java.time.Instant.parse("2025-09-09T09:09:09Z"));
    String sourceSha = snapshot(source).get("INBOX").get(0).sha256();

    try (var strict = new ScriptedImapDestination("\\Seen \\Flagged")) {
      var run =
          Mailferry.migrate(
              source, Account.imap("127.0.0.1", strict.port(), "strict", "pw"), state);

      assertThat(run.exitCode()).as(run.toString()).isZero();
      assertThat(strict.appended()).hasSize(1);
      assertThat(strict.appended().get(0).flags().split(" "))
          .containsExactlyInAnyOrder("\\Seen", "\\Flagged");
      assertThat(TestMailbox.sha256(strict.appended().get(0).raw())).isEqualTo(sourceSha);
      assertThat(run.out())
          .contains("flag $Forwarded cannot be stored")
          .contains("flag custom_kw cannot be stored");
    }
  }

  @Override
  protected Account newSourceAccount() {
    String user = "src" + USERS.incrementAndGet();
    sourceServer.setUser(user + "@old.example", user, "pw-" + user);
    return Account.imap("127.0.0.1", toSource.port(), user, "pw-" + user);
  }

  @Override
  protected Account newDestinationAccount() {
    String user = "dst" + USERS.incrementAndGet();
    destinationServer.setUser(user + "@new.example", user, "pw-" + user);
    return Account.imap("127.0.0.1", toDestination.port(), user, "pw-" + user);
  }

  @Override
  protected boolean sourceOffersCondstore() {
    return false; // GreenMail 2 has no CONDSTORE
  }
}

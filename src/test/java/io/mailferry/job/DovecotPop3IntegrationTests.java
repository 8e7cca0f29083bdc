package io.mailferry.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailferry.testsupport.Account;
import io.mailferry.testsupport.DovecotExtension;
import io.mailferry.testsupport.DovecotServer;
import io.mailferry.testsupport.Mailferry;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The POP3 contract against Dovecot's POP3 server (STLS, a self-signed certificate) into Dovecot
 * IMAP.
 */
class DovecotPop3IntegrationTests extends Pop3Contract {

  private static final AtomicInteger USERS = new AtomicInteger();

  @RegisterExtension
  static DovecotExtension dovecot = new DovecotExtension(DovecotServer.Layout.SLASH);

  @Test
  void pop3s_with_implicit_tls_copies_and_an_untrusted_certificate_is_exit_69_in_one_line()
      throws Exception {
    seed(received("over-tls", null, null, "Wed, 11 Mar 2026 10:00:00 +0000"));
    Account overTls =
        new Account(
            "pop3s",
            dovecot.server().host(),
            dovecot.server().pop3sPort(),
            sourceMailbox.user(),
            sourceMailbox.password(),
            null);

    var untrusted = Mailferry.migrate(overTls, destination, state);
    var trusted =
        Mailferry.migrate(overTls.trusting(dovecot.server().certificatePem()), destination, state);

    assertThat(untrusted.exitCode()).as(untrusted.toString()).isEqualTo(69);
    assertThat(untrusted.err().strip().lines())
        .singleElement()
        .asString()
        .contains("certificate is not trusted")
        .contains("--from-trust-cert");
    assertThat(trusted.exitCode()).as(trusted.toString()).isZero();
    assertThat(shas(destination, "INBOX")).isEqualTo(shas(sourceMailbox, "INBOX"));
  }

  @Test
  void a_byte_rate_holds_on_the_pop3_wire_too() throws Exception {
    // 8 messages of 64 KiB: about 530 KB to read; at 100 KB/s that takes at least 5 s on the wire.
    String filler = "x".repeat(76) + "\r\n";
    for (int i = 0; i < 8; i++) {
      seed(
          ("From: a@example.org\r\nSubject: big "
                  + i
                  + "\r\nMessage-ID: <big"
                  + i
                  + "@pop3.example.org>\r\n\r\n"
                  + filler.repeat(64 * 1024 / filler.length()))
              .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }
    long started = System.nanoTime();
    var run = Mailferry.migrate(source, destination, state, "--max-bytes-per-second", "100k");
    double seconds = (System.nanoTime() - started) / 1e9;
    // The same copy without a rate, into another account, is the baseline (start-up, the machine's
    // load); run second, so that a warmer JVM can only make the difference larger.
    started = System.nanoTime();
    var unlimited = Mailferry.migrate(source, newDestinationAccount(), state.resolve("unlimited"));
    double baseline = (System.nanoTime() - started) / 1e9;

    assertThat(unlimited.exitCode()).as(unlimited.toString()).isZero();
    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(shas(destination, "INBOX")).isEqualTo(shas(sourceMailbox, "INBOX"));
    // About 530 KB read at 100 KB/s: at least 5 s on the wire, where the baseline needs well under
    // a second for the same bytes. (A rate can only slow a run down: the lower bound is what holds
    // it.)
    assertThat(seconds - baseline)
        .as("seconds added by --max-bytes-per-second 100k (baseline %.1f s)", baseline)
        .isGreaterThan(4.0);
  }

  @Override
  protected Account newSourceMailbox() {
    return Account.onDovecot(dovecot.server(), "popsrc" + USERS.incrementAndGet());
  }

  @Override
  protected Account overPop3(Account mailbox) {
    return mailbox.viaPop3(dovecot.server().pop3Port());
  }

  @Override
  protected Account newDestinationAccount() {
    return Account.onDovecot(dovecot.server(), "popdst" + USERS.incrementAndGet());
  }
}

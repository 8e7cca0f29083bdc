package io.mailferry.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailferry.testsupport.Account;
import io.mailferry.testsupport.Mailferry;
import io.mailferry.testsupport.DovecotExtension;
import io.mailferry.testsupport.DovecotServer;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The POP3 contract against Dovecot's POP3 server (STLS, a self-signed certificate) into Dovecot IMAP. */
class DovecotPop3IntegrationTests extends Pop3Contract {

  private static final AtomicInteger USERS = new AtomicInteger();
  @RegisterExtension static DovecotExtension dovecot = new DovecotExtension(DovecotServer.Layout.SLASH);

  @Test
  void pop3s_with_implicit_tls_copies_and_an_untrusted_certificate_is_exit_69_in_one_line() throws Exception {
    seed(received("over-tls", null, null, "Wed, 11 Mar 2026 10:00:00 +0000"));
    Account overTls = new Account("pop3s", dovecot.server().host(), dovecot.server().pop3sPort(), sourceMailbox.user(),
        sourceMailbox.password(), null);

    var untrusted = Mailferry.migrate(overTls, destination, state);
    var trusted = Mailferry.migrate(overTls.trusting(dovecot.server().certificatePem()), destination, state);

    assertThat(untrusted.exitCode()).as(untrusted.toString()).isEqualTo(69);
    assertThat(untrusted.err().strip().lines()).singleElement().asString()
        .contains("certificate is not trusted").contains("--from-trust-cert");
    assertThat(trusted.exitCode()).as(trusted.toString()).isZero();
    assertThat(shas(destination, "INBOX")).isEqualTo(shas(sourceMailbox, "INBOX"));
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

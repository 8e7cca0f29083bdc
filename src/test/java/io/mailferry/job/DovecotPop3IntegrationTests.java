package io.mailferry.job;

import io.mailferry.testsupport.Account;
import io.mailferry.testsupport.DovecotServer;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The POP3 contract against Dovecot's POP3 server (STLS, a self-signed certificate) into Dovecot IMAP. */
class DovecotPop3IntegrationTests extends Pop3Contract {

  private static final AtomicInteger USERS = new AtomicInteger();
  static DovecotServer dovecot;

  @BeforeAll
  static void start() {
    dovecot = DovecotServer.start(DovecotServer.Layout.SLASH);
  }

  @AfterAll
  static void stop() {
    dovecot.close();
  }

  @Override
  protected Account newSourceMailbox() {
    return Account.onDovecot(dovecot, "popsrc" + USERS.incrementAndGet());
  }

  @Override
  protected Account overPop3(Account mailbox) {
    return mailbox.viaPop3(dovecot.pop3Port());
  }

  @Override
  protected Account newDestinationAccount() {
    return Account.onDovecot(dovecot, "popdst" + USERS.incrementAndGet());
  }
}

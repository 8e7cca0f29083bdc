package io.mailferry.job;

import io.mailferry.testsupport.Account;
import io.mailferry.testsupport.DovecotServer;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The migrate contract against a real Dovecot: from a '.'-separated server with the "INBOX."
 * prefix to a '/'-separated one without prefix, so every folder name is translated.
 */
class DovecotMigrateIntegrationTests extends MigrateContract {

  private static final AtomicInteger USERS = new AtomicInteger();
  private static DovecotServer dotServer;
  private static DovecotServer slashServer;

  @BeforeAll
  static void startServers() {
    dotServer = DovecotServer.start(DovecotServer.Layout.DOT_INBOX_PREFIX);
    slashServer = DovecotServer.start(DovecotServer.Layout.SLASH);
  }

  @AfterAll
  static void stopServers() {
    if (dotServer != null) {
      dotServer.close();
    }
    if (slashServer != null) {
      slashServer.close();
    }
  }

  @Override
  protected Account newSourceAccount() {
    return account(dotServer, "src");
  }

  @Override
  protected Account newDestinationAccount() {
    return account(slashServer, "dst");
  }

  static Account account(DovecotServer server, String kind) {
    String user = kind + USERS.incrementAndGet();
    server.addUser(user, "pw-" + user);
    return Account.imap(server.host(), server.imapPort(), user, "pw-" + user).trusting(server.certificatePem());
  }
}

package io.mailferry.job;

import io.mailferry.testsupport.Account;
import io.mailferry.testsupport.DovecotExtension;
import io.mailferry.testsupport.DovecotServer;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The migrate contract against a real Dovecot: from a '.'-separated server with the "INBOX." prefix
 * to a '/'-separated one without prefix, so every folder name is translated.
 */
class DovecotMigrateIntegrationTests extends MigrateContract {

  private static final AtomicInteger USERS = new AtomicInteger();

  @RegisterExtension
  static DovecotExtension dotServer = new DovecotExtension(DovecotServer.Layout.DOT_INBOX_PREFIX);

  @RegisterExtension
  static DovecotExtension slashServer = new DovecotExtension(DovecotServer.Layout.SLASH);

  @Override
  protected Account newSourceAccount() {
    return account(dotServer.server(), "src");
  }

  @Override
  protected Account newDestinationAccount() {
    return account(slashServer.server(), "dst");
  }

  static Account account(DovecotServer server, String kind) {
    String user = kind + USERS.incrementAndGet();
    server.addUser(user, "pw-" + user);
    return Account.imap(server.host(), server.imapPort(), user, "pw-" + user)
        .trusting(server.certificatePem());
  }
}

package io.mailferry.job;

import io.mailferry.testsupport.Account;
import io.mailferry.testsupport.DovecotExtension;
import io.mailferry.testsupport.DovecotServer;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The cut-over contract between two Dovecots (CONDSTORE and QRESYNC on). */
class DovecotCutOverIntegrationTests extends CutOverContract {

  @RegisterExtension
  static DovecotExtension dotServer = new DovecotExtension(DovecotServer.Layout.DOT_INBOX_PREFIX);

  @RegisterExtension
  static DovecotExtension slashServer = new DovecotExtension(DovecotServer.Layout.SLASH);

  @Override
  protected Account newSourceAccount() {
    return DovecotMigrateIntegrationTests.account(dotServer.server(), "src");
  }

  @Override
  protected Account newDestinationAccount() {
    return DovecotMigrateIntegrationTests.account(slashServer.server(), "dst");
  }
}

package io.mailferry.source;

import io.mailferry.imap.ImapConnector;
import io.mailferry.imap.ImapStores;
import io.mailferry.mail.ConnectionSettings;
import io.mailferry.mail.Endpoint;
import io.mailferry.source.imap.ImapSource;
import io.mailferry.testsupport.Account;
import io.mailferry.testsupport.TestMailbox;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The source contract on a mailbox seeded over IMAP by {@link TestMailbox}: read by {@link
 * ImapSource}, or by another reader of the same mailbox (POP3).
 */
abstract class ImapSeededSourceContract extends SourceContract {

  @TempDir Path spool;

  /**
   * The account of the case running now, and a client on it (one login per case: GreenMail's are
   * slow).
   */
  protected Account account;

  private TestMailbox box;

  /** A new, empty account on the class's server. */
  protected abstract Account newAccount();

  @Override
  protected void newMailbox() {
    account = newAccount();
    box = account.open();
  }

  @AfterEach
  void logOut() {
    box.close();
  }

  @Override
  protected void put(String folder, byte[] raw, Set<String> flags, Instant internalDate)
      throws Exception {
    String name = serverName(folder);
    if (!box.folders().contains(name)) {
      box.createFolder(name);
    }
    box.append(name, raw, flags, internalDate);
  }

  @Override
  protected void remove(String folder, int n) throws Exception {
    box.expunge(serverName(folder), n + 1);
  }

  @Override
  protected void recreate(String folder) throws Exception {
    String name = serverName(folder);
    box.deleteFolder(name);
    box.createFolder(name);
  }

  private String serverName(String path) throws Exception {
    return path.equalsIgnoreCase("INBOX")
        ? "INBOX"
        : box.personalPrefix() + path.replace('/', box.separator());
  }

  @Override
  protected MailSource openSource() {
    return new ImapSource(stores(account), spool, 0);
  }

  /** Two connections, as a run with --max-connections 2 has. */
  static ImapStores stores(Account account) {
    Endpoint endpoint = Endpoint.parse(account.url(), "source");
    return new ImapStores(
        new ImapConnector(
            "source",
            endpoint,
            account::password,
            ConnectionSettings.defaults().withTrustCert(account.trustCert())),
        2);
  }
}

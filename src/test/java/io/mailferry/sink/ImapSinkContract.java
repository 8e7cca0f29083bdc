package io.mailferry.sink;

import io.mailferry.imap.ImapConnector;
import io.mailferry.imap.ImapStores;
import io.mailferry.mail.ConnectionSettings;
import io.mailferry.mail.Endpoint;
import io.mailferry.mail.FolderPath;
import io.mailferry.sink.imap.ImapSink;
import io.mailferry.testsupport.Account;
import io.mailferry.testsupport.TestMailbox;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/**
 * The sink contract on an IMAP account written by {@link ImapSink} and read back by {@link
 * TestMailbox}, a client that shares none of mailferry's IMAP code.
 */
abstract class ImapSinkContract extends SinkContract {

  /**
   * The account of the case running now, and a reader on it (one login per case: GreenMail's are
   * slow).
   */
  protected Account account;

  private TestMailbox box;

  /** A new, empty account on the class's server. */
  protected abstract Account newAccount();

  @Override
  protected void newDestination() {
    account = newAccount();
    box = account.open();
  }

  @AfterEach
  void logOut() {
    box.close();
  }

  /** Where the sink connects: the account itself, or a proxy in front of it. */
  protected Account sinkAccount() {
    return account;
  }

  /** Two connections, as a run with --max-connections 2 has. */
  @Override
  protected MailSink openSink() {
    Account to = sinkAccount();
    Endpoint endpoint = Endpoint.parse(to.url(), "destination");
    return new ImapSink(
        new ImapStores(
            new ImapConnector(
                "destination",
                endpoint,
                to::password,
                ConnectionSettings.defaults().withTrustCert(to.trustCert())),
            2));
  }

  @Override
  protected List<String> foldersSeen() throws Exception {
    String prefix = box.personalPrefix();
    List<String> seen = new ArrayList<>();
    for (String name : box.folders()) {
      String relative = name.startsWith(prefix) ? name.substring(prefix.length()) : name;
      seen.add(
          name.equalsIgnoreCase("INBOX")
              ? "INBOX"
              : FolderPath.of(relative, box.separator()).toString());
    }
    return seen;
  }

  @Override
  protected List<Seen> readBack(String folder) throws Exception {
    String name =
        folder.equalsIgnoreCase("INBOX")
            ? "INBOX"
            : box.personalPrefix() + folder.replace('/', box.separator());
    return box.messages(name).stream()
        .map(m -> new Seen(m.uid(), m.sha256(), m.size(), m.flags(), m.internalDate()))
        .toList();
  }
}

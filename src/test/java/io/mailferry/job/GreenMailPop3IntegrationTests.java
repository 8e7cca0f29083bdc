package io.mailferry.job;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import io.mailferry.testsupport.Account;
import io.mailferry.testsupport.HardCases;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The POP3 contract against GreenMail's POP3 server (seeded over its IMAP) into GreenMail IMAP. */
class GreenMailPop3IntegrationTests extends Pop3Contract {

  private static final AtomicInteger USERS = new AtomicInteger();

  @RegisterExtension
  static GreenMailExtension sourceServer =
      new GreenMailExtension(
          new ServerSetup[] {
            new ServerSetup(3143, "127.0.0.1", ServerSetup.PROTOCOL_IMAP).dynamicPort(),
            new ServerSetup(3110, "127.0.0.1", ServerSetup.PROTOCOL_POP3).dynamicPort()
          });

  @RegisterExtension
  static GreenMailExtension destinationServer =
      new GreenMailExtension(
          new ServerSetup(3144, "127.0.0.1", ServerSetup.PROTOCOL_IMAP).dynamicPort());

  /**
   * GreenMail's POP3 RETR changes what its IMAP serves: it drops the blank line that ends a message
   * of headers only, turns bare LF into CRLF, and adds a final CRLF while listing the size of the
   * body alone, so those cases cannot arrive unchanged from it. Dovecot serves them (see
   * DovecotPop3IntegrationTests), and ScriptedPop3IntegrationTests serves the exact bytes.
   */
  @Override
  protected List<HardCases.HardCase> servedUnchanged() {
    Set<String> changedByGreenMail =
        Set.of(
            "headers-only-blank-line", "headers-only-no-blank-line", "bare-lf", "no-final-newline");
    return HardCases.all().stream().filter(c -> !changedByGreenMail.contains(c.name())).toList();
  }

  @Override
  protected Account newSourceMailbox() {
    String user = "popsrc" + USERS.incrementAndGet();
    sourceServer.setUser(user + "@old.example", user, "pw-" + user);
    return Account.imap("127.0.0.1", sourceServer.getImap().getPort(), user, "pw-" + user);
  }

  @Override
  protected Account overPop3(Account mailbox) {
    return mailbox.viaPop3(sourceServer.getPop3().getPort());
  }

  @Override
  protected Account newDestinationAccount() {
    String user = "popdst" + USERS.incrementAndGet();
    destinationServer.setUser(user + "@new.example", user, "pw-" + user);
    return Account.imap("127.0.0.1", destinationServer.getImap().getPort(), user, "pw-" + user);
  }
}

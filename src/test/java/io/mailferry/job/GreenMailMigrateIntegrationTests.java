package io.mailferry.job;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import io.mailferry.testsupport.Account;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The migrate contract between two in-process GreenMail servers. */
class GreenMailMigrateIntegrationTests extends MigrateContract {

  private static final AtomicInteger USERS = new AtomicInteger();

  @RegisterExtension
  static GreenMailExtension sourceServer =
      new GreenMailExtension(new ServerSetup(3143, "127.0.0.1", ServerSetup.PROTOCOL_IMAP).dynamicPort());

  @RegisterExtension
  static GreenMailExtension destinationServer =
      new GreenMailExtension(new ServerSetup(3144, "127.0.0.1", ServerSetup.PROTOCOL_IMAP).dynamicPort());

  @Override
  protected Account newSourceAccount() {
    String user = "src" + USERS.incrementAndGet();
    sourceServer.setUser(user + "@old.example", user, "pw-" + user);
    return Account.imap("127.0.0.1", sourceServer.getImap().getPort(), user, "pw-" + user);
  }

  @Override
  protected Account newDestinationAccount() {
    String user = "dst" + USERS.incrementAndGet();
    destinationServer.setUser(user + "@new.example", user, "pw-" + user);
    return Account.imap("127.0.0.1", destinationServer.getImap().getPort(), user, "pw-" + user);
  }
}

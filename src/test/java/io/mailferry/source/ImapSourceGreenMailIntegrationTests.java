package io.mailferry.source;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import io.mailferry.testsupport.Account;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The source contract on an in-process GreenMail: no special-use folders. */
class ImapSourceGreenMailIntegrationTests extends ImapSeededSourceContract {

  private static final AtomicInteger USERS = new AtomicInteger();

  @RegisterExtension
  static GreenMailExtension greenMail =
      new GreenMailExtension(
              new ServerSetup(3143, "127.0.0.1", ServerSetup.PROTOCOL_IMAP).dynamicPort())
          .withPerMethodLifecycle(false); // one server for the class: a restart per case took 0.6 s

  @Override
  protected Set<Capability> capabilities() {
    return EnumSet.complementOf(EnumSet.of(Capability.SPECIAL_USE));
  }

  /**
   * GreenMail's UIDVALIDITY is the folder's creation time in seconds: a folder created again within
   * the same second would keep it. The clock is let pass to the next second first (Dovecot needs no
   * wait).
   */
  @Override
  protected void recreate(String folder) throws Exception {
    long second = System.currentTimeMillis() / 1000;
    while (System.currentTimeMillis() / 1000 == second) {
      Thread.sleep(20);
    }
    super.recreate(folder);
  }

  @Override
  protected Account newAccount() {
    return Account.onGreenMail(greenMail, "src" + USERS.incrementAndGet());
  }
}

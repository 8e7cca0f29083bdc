package io.mailferry.sink;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import io.mailferry.testsupport.Account;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The sink contract on an in-process GreenMail: no MULTIAPPEND (its CAPABILITY lacks it). */
class ImapSinkGreenMailIntegrationTests extends ImapSinkContract {

  private static final AtomicInteger USERS = new AtomicInteger();

  @RegisterExtension
  static GreenMailExtension greenMail =
      new GreenMailExtension(
              new ServerSetup(3143, "127.0.0.1", ServerSetup.PROTOCOL_IMAP).dynamicPort())
          .withPerMethodLifecycle(false); // one server for the class: a restart per case took 0.6 s

  @Override
  protected Set<Capability> capabilities() {
    return EnumSet.complementOf(EnumSet.of(Capability.MULTIAPPEND));
  }

  @Override
  protected Account newAccount() {
    return Account.onGreenMail(greenMail, "dst" + USERS.incrementAndGet());
  }
}

package io.mailferry.sink;

import io.mailferry.testsupport.Account;
import io.mailferry.testsupport.DovecotExtension;
import io.mailferry.testsupport.DovecotServer;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The sink contract on Dovecot ('/' separator, Maildir): everything a sink can do. */
class ImapSinkDovecotIntegrationTests extends ImapSinkContract {

  private static final AtomicInteger USERS = new AtomicInteger();

  @RegisterExtension
  static DovecotExtension dovecot = new DovecotExtension(DovecotServer.Layout.SLASH);

  @Override
  protected Set<Capability> capabilities() {
    return EnumSet.allOf(Capability.class);
  }

  @Override
  protected Account newAccount() {
    return Account.onDovecot(dovecot.server(), "dst" + USERS.incrementAndGet());
  }
}

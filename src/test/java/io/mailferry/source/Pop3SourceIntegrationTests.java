package io.mailferry.source;

import io.mailferry.config.Throttling;
import io.mailferry.mail.ConnectionSettings;
import io.mailferry.mail.Endpoint;
import io.mailferry.scheme.ThrottleLimits;
import io.mailferry.source.pop3.Pop3Source;
import io.mailferry.throttle.SideThrottle;
import java.util.EnumSet;
import java.util.Set;

/**
 * The source contract on Dovecot's POP3, the mailbox seeded over IMAP as in the IMAP case: one
 * folder, no flags, no STATUS; the date is the Date: header's, which the contract's messages set to
 * their INTERNALDATE. UIDs are hashes of UIDLs in the server's order; a recreated folder is no POP3
 * notion.
 */
class Pop3SourceIntegrationTests extends ImapSourceDovecotIntegrationTests {

  @Override
  protected Set<Capability> capabilities() {
    return EnumSet.of(Capability.SPOOLS_LARGE);
  }

  @Override
  protected MailSource openSource() {
    var pop3 = account.viaPop3(dovecot.server().pop3Port());
    Endpoint endpoint = Endpoint.parse(pop3.url(), "source");
    return new Pop3Source(
        endpoint,
        pop3::password,
        ConnectionSettings.defaults().withTrustCert(pop3.trustCert()),
        spool,
        new SideThrottle("source", endpoint, ThrottleLimits.of(Throttling.defaults())),
        0);
  }
}

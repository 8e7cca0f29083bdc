package io.mailferry.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailferry.imap.ImapBodies;
import io.mailferry.mail.ConnectionSettings;
import io.mailferry.mail.Endpoint;
import io.mailferry.testsupport.DovecotExtension;
import io.mailferry.testsupport.DovecotServer;
import io.mailferry.testsupport.TestMailbox;
import jakarta.mail.Folder;
import jakarta.mail.Store;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The byte rates count what crosses the wire once: STARTTLS layers TLS on a socket Angus Mail has
 * wrapped (for its write timeout), and counting it again there made every rate bite at half.
 */
class MeteredSocketIntegrationTests {

  @RegisterExtension
  static DovecotExtension dovecot = new DovecotExtension(DovecotServer.Layout.SLASH);

  @ParameterizedTest
  @ValueSource(strings = {"imap", "imaps"})
  void each_byte_of_a_fetched_message_is_counted_once(String scheme) throws Exception {
    DovecotServer server = dovecot.server();
    String user = "meter" + scheme;
    server.addUser(user, "pw");
    byte[] raw = message(600_000);
    try (TestMailbox mailbox = TestMailbox.connect(server.host(), server.imapPort(), user, "pw")) {
      mailbox.append("INBOX", raw, Set.of(), Instant.parse("2024-01-01T00:00:00Z"));
    }
    int port = scheme.equals("imap") ? server.imapPort() : server.imapsPort();
    Endpoint endpoint =
        Endpoint.parse(scheme + "://" + user + "@" + server.host() + ":" + port, "source");
    AtomicLong counted = new AtomicLong();
    Store store =
        MailSessions.forEndpoint(
                endpoint,
                ConnectionSettings.defaults().withTrustCert(server.certificatePem()),
                counted::addAndGet)
            .getStore(scheme);
    store.connect(server.host(), port, user, "pw");
    try {
      IMAPFolder inbox = (IMAPFolder) store.getFolder("INBOX");
      inbox.open(Folder.READ_ONLY);
      long before = counted.get();
      ByteArrayOutputStream fetched = new ByteArrayOutputStream();
      ImapBodies.stream(inbox, 1, Long.MAX_VALUE, fetched::write);

      assertThat(fetched.toByteArray()).isEqualTo(raw);
      // TLS records and IMAP framing add a little; counting twice would be 2x.
      assertThat(counted.get() - before).isBetween((long) raw.length, (long) (raw.length * 1.1));
    } finally {
      store.close();
    }
  }

  private static byte[] message(int size) {
    StringBuilder text = new StringBuilder("From: a@example.org\r\nSubject: meter\r\n\r\n");
    while (text.length() < size) {
      text.append("0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz\r\n");
    }
    return text.toString().getBytes(StandardCharsets.US_ASCII);
  }
}

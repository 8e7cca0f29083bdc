package io.mailferry.imap;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import io.mailferry.testsupport.HardCases;
import io.mailferry.testsupport.TestMailbox;
import jakarta.mail.Folder;
import jakarta.mail.Session;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The listing read straight from FETCH responses describes every message exactly as Jakarta Mail's
 * general path does (the one it replaced, and still falls back to), on the hard cases.
 */
class ImapListingIntegrationTests {

  @RegisterExtension
  static GreenMailExtension server =
      new GreenMailExtension(
          new ServerSetup(3145, "127.0.0.1", ServerSetup.PROTOCOL_IMAP).dynamicPort());

  @Test
  void the_fast_listing_describes_every_message_as_the_general_path_does() throws Exception {
    server.setUser("list@example.org", "list", "pw");
    int port = server.getImap().getPort();
    byte[] folded =
        ("From: a@example.org\r\nMessage-ID:\r\n  <folded@example.org>\r\nSubject: x\r\n\r\nbody\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    try (TestMailbox mailbox = TestMailbox.connect("127.0.0.1", port, "list", "pw")) {
      for (HardCases.HardCase c : HardCases.all()) {
        mailbox.append("INBOX", c.raw(), c.flags(), c.internalDate());
      }
      mailbox.append(
          "INBOX", folded, Set.of("\\Seen", "$Forwarded"), Instant.parse("2025-01-02T03:04:05Z"));
    }

    IMAPStore store = (IMAPStore) Session.getInstance(new Properties()).getStore("imap");
    store.connect("127.0.0.1", port, "list", "pw");
    try {
      IMAPFolder folder = (IMAPFolder) store.getFolder("INBOX");
      folder.open(Folder.READ_ONLY);
      ImapListing.Listing listing = ImapListing.from(folder, 1);
      List<ImapListing.Entry> fast = listing.entries();
      List<String> general = throughMessages(folder);

      assertThat(listing.unlisted()).isEmpty();
      assertThat(listing.warnings()).isEmpty();
      assertThat(fast).hasSize(HardCases.all().size() + 1);
      assertThat(fast)
          .extracting(ImapListingIntegrationTests::described)
          .containsExactlyElementsOf(general);
      ImapListing.Entry last = fast.get(fast.size() - 1);
      assertThat(last.messageId()).isEqualTo("<folded@example.org>");
      assertThat(last.flags()).containsExactlyInAnyOrder("\\Seen", "$Forwarded");
      assertThat(last.internalDate()).isEqualTo(Instant.parse("2025-01-02T03:04:05Z"));
      assertThat(fast).anyMatch(e -> e.messageId() == null); // HardCases has a message without one
      // "UID FETCH n:*" answers with the last message even when n is past it: nothing is new.
      assertThat(ImapListing.from(folder, last.uid() + 1).entries()).isEmpty();
      assertThat(ImapListing.from(folder, last.uid()).entries())
          .extracting(ImapListing.Entry::uid)
          .containsExactly(last.uid());
    } finally {
      store.close();
    }
  }

  private static String described(ImapListing.Entry e) {
    return e.uid()
        + " "
        + e.size()
        + " "
        + e.internalDate()
        + " "
        + new java.util.TreeSet<>(e.flags())
        + " "
        + e.messageId();
  }

  /** Jakarta Mail's general path, which the listing replaced: the reference. */
  private static List<String> throughMessages(IMAPFolder folder) throws Exception {
    jakarta.mail.Message[] messages = folder.getMessagesByUID(1, jakarta.mail.UIDFolder.MAXUID);
    jakarta.mail.FetchProfile profile = new jakarta.mail.FetchProfile();
    profile.add(jakarta.mail.UIDFolder.FetchProfileItem.UID);
    profile.add(jakarta.mail.FetchProfile.Item.FLAGS);
    profile.add(jakarta.mail.FetchProfile.Item.SIZE);
    profile.add(IMAPFolder.FetchProfileItem.INTERNALDATE);
    profile.add("Message-ID");
    folder.fetch(messages, profile);
    List<String> out = new java.util.ArrayList<>();
    for (jakarta.mail.Message m : messages) {
      out.add(
          folder.getUID(m)
              + " "
              + m.getSize()
              + " "
              + m.getReceivedDate().toInstant()
              + " "
              + new java.util.TreeSet<>(ImapFlags.toStrings(m.getFlags()))
              + " "
              + ImapFlags.messageId(m));
    }
    return out;
  }
}

package io.mailferry.mail;

import jakarta.mail.FetchProfile;
import jakarta.mail.Flags;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.UIDFolder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.angus.mail.iap.ByteArray;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.protocol.BODY;
import org.eclipse.angus.mail.imap.protocol.FLAGS;
import org.eclipse.angus.mail.imap.protocol.FetchResponse;
import org.eclipse.angus.mail.imap.protocol.INTERNALDATE;
import org.eclipse.angus.mail.imap.protocol.Item;
import org.eclipse.angus.mail.imap.protocol.RFC822SIZE;
import org.eclipse.angus.mail.imap.protocol.UID;

/**
 * Describes every message of an open folder from UID {@code first} on (UID, flags, size,
 * INTERNALDATE, Message-ID) in one UID FETCH, read straight from the FETCH responses.
 *
 * <p>Why not {@code folder.fetch(messages, profile)}: Jakarta Mail parses each message's
 * Message-ID through {@code InternetHeaders}, which looks up its stream provider with a
 * ServiceLoader on every call (jakartaee/mail-api#861): on 20,000 messages that was most of the
 * listing's CPU and ~1 GB of garbage. This also keeps no IMAPMessage per message in the folder.
 */
public final class ImapListing {

  /** One message as the listing saw it. */
  public record Entry(long uid, long size, Instant internalDate, Flags flags, String messageId) {}

  private static final String ITEMS = "(UID FLAGS RFC822.SIZE INTERNALDATE BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)])";

  private ImapListing() {}

  /** @return the entries in UID order */
  public static List<Entry> from(IMAPFolder folder, long first) throws MessagingException {
    if (folder.getMessageCount() == 0) {
      return List.of();
    }
    List<Entry> entries = fromFetchResponses(folder, first);
    return entries != null ? entries : throughMessages(folder, first);
  }

  /** @return null when the server's answer lacked an item */
  private static List<Entry> fromFetchResponses(IMAPFolder folder, long first) throws MessagingException {
    Map<Integer, Partial> byNumber = new LinkedHashMap<>();
    folder.doCommand(p -> {
      Response[] responses = p.command("UID FETCH " + first + ":* " + ITEMS, null);
      List<Response> others = new ArrayList<>();
      for (Response r : responses) {
        if (r instanceof FetchResponse fetch) {
          // A server may split one message's items over several FETCH responses: merge them.
          byNumber.computeIfAbsent(fetch.getNumber(), n -> new Partial()).add(fetch);
        } else {
          others.add(r); // EXISTS, EXPUNGE, …: the folder keeps its own state from these
        }
      }
      p.notifyResponseHandlers(others.toArray(Response[]::new));
      p.handleResult(responses[responses.length - 1]);
      return null;
    });
    List<Entry> entries = new ArrayList<>(byNumber.size());
    for (Partial m : byNumber.values()) {
      if (m.uid < 0) {
        continue; // an unsolicited FETCH (a flag change by another session) of a message not asked for
      }
      if (m.uid < first) {
        continue; // "UID FETCH n:*" always returns the highest message, even below n (RFC 9051 6.4.9)
      }
      if (m.size < 0 || m.internalDate == null || m.flags == null) {
        return null;
      }
      entries.add(new Entry(m.uid, m.size, m.internalDate, m.flags, m.messageId));
    }
    entries.sort((a, b) -> Long.compare(a.uid(), b.uid()));
    return entries;
  }

  /** The general way, for a server whose FETCH answer lacked an item: Jakarta Mail fills the gaps. */
  static List<Entry> throughMessages(IMAPFolder folder, long first) throws MessagingException {
    Message[] messages = folder.getMessagesByUID(first, UIDFolder.MAXUID);
    FetchProfile profile = new FetchProfile();
    profile.add(UIDFolder.FetchProfileItem.UID);
    profile.add(FetchProfile.Item.FLAGS);
    profile.add(FetchProfile.Item.SIZE);
    profile.add(IMAPFolder.FetchProfileItem.INTERNALDATE);
    profile.add("Message-ID");
    folder.fetch(messages, profile);
    List<Entry> entries = new ArrayList<>(messages.length);
    for (Message m : messages) {
      long uid = folder.getUID(m);
      if (!m.isExpunged() && uid >= first) {
        entries.add(new Entry(uid, m.getSize(), m.getReceivedDate().toInstant(), m.getFlags(), ImapFlags.messageId(m)));
      }
    }
    return entries;
  }

  private static final class Partial {
    long uid = -1;
    long size = -1;
    Instant internalDate;
    Flags flags;
    String messageId;

    void add(FetchResponse fetch) {
      for (int i = 0; i < fetch.getItemCount(); i++) {
        Item item = fetch.getItem(i);
        if (item instanceof UID u) {
          uid = u.uid;
        } else if (item instanceof RFC822SIZE s) {
          size = s.size;
        } else if (item instanceof INTERNALDATE d && d.getDate() != null) {
          internalDate = d.getDate().toInstant();
        } else if (item instanceof FLAGS f) {
          flags = f;
        } else if (item instanceof BODY b) {
          messageId = messageId(b.getByteArray());
        }
      }
    }

    private static String messageId(ByteArray header) {
      if (header == null) {
        return null;
      }
      byte[] bytes = Arrays.copyOfRange(header.getBytes(), header.getStart(), header.getStart() + header.getCount());
      return MessageHeaders.parse(bytes).messageId();
    }
  }
}

package io.mailferry.sink.imap;

import io.mailferry.mail.ContentKey;
import io.mailferry.mail.ImapBodies;
import io.mailferry.mail.LeasedFolder;
import io.mailferry.mail.ImapFlags;
import io.mailferry.mail.ImapListing;
import io.mailferry.mail.MailferryException;
import io.mailferry.mail.RawMessage;
import io.mailferry.sink.SinkFolder;
import io.mailferry.throttle.ThrottleSignal;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.eclipse.angus.mail.iap.BadCommandException;
import org.eclipse.angus.mail.iap.CommandFailedException;
import org.eclipse.angus.mail.iap.Literal;
import org.eclipse.angus.mail.iap.ProtocolException;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.AppendUID;
import org.eclipse.angus.mail.imap.IMAPFolder;

/**
 * A destination folder open read-write. APPEND sends the exact bytes as a literal: Angus Mail's
 * own appendMessages re-serialises a MimeMessage and turns bare LF into CRLF, which would change
 * the message.
 */
final class ImapSinkFolder implements SinkFolder {

  private final LeasedFolder lease;
  private final IMAPFolder folder;
  /** Whether the server takes MULTIAPPEND (RFC 3502); asked on first use. */
  private Boolean multiAppend;

  ImapSinkFolder(LeasedFolder lease) {
    this.lease = lease;
    this.folder = lease.folder();
  }

  @Override
  public List<Stored> index() {
    try {
      List<ImapListing.Entry> listed = ImapListing.from(folder, 1).entries();
      List<Stored> stored = new ArrayList<>(listed.size());
      for (ImapListing.Entry e : listed) {
        stored.add(new Stored(e.uid(), new ContentKey(e.messageId(), e.size(), e.internalDate().getEpochSecond())));
      }
      return stored;
    } catch (MessagingException e) {
      throw failure(e);
    }
  }

  @Override
  public String sha256(long uid) {
    try {
      Message m = folder.getMessageByUID(uid);
      if (m == null) {
        return null;
      }
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      ImapBodies.stream(folder, m.getMessageNumber(), digest::update);
      return HexFormat.of().formatHex(digest.digest());
    } catch (MessagingException e) {
      throw failure(e);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public FlagFilter flagFilter() {
    return new PermanentFlagsFilter(folder.getPermanentFlags());
  }

  /** Messages per MULTIAPPEND: enough to save most round trips and per-command work of the server. */
  static final int MULTIAPPEND_BATCH = 64;

  @Override
  public int batchLimit() {
    if (multiAppend == null) {
      try {
        multiAppend = (Boolean) folder.doCommand(p -> p.hasCapability("MULTIAPPEND"));
      } catch (MessagingException e) {
        throw failure(e);
      }
    }
    return multiAppend ? MULTIAPPEND_BATCH : 1;
  }

  @Override
  public List<Appended> appendAll(List<Outgoing> messages) {
    Response tagged = sendAll(messages);
    // A refused MULTIAPPEND stored nothing (RFC 3502): a NO asking to slow down is waited out as
    // asked, then the same batch goes again.
    while (tagged.isNO() && lease.backedOff(new MessagingException(tagged.toString()))) {
      tagged = sendAll(messages);
    }
    if (tagged.isBAD()) {
      multiAppend = false; // the server does not take it after all: one message per command from now on
    }
    if (!tagged.isOK()) {
      throw new BatchRefused(tagged.toString(), null);
    }
    return MultiAppend.appended(tagged.toString(), messages.size());
  }

  private Response sendAll(List<Outgoing> messages) {
    try {
      return (Response) folder.doCommand(p -> {
        try {
          Response r = MultiAppend.send(p, folder.getFullName(), messages);
          if (r.isBYE()) {
            p.handleResult(r); // the connection is gone: thrown as such, and the chunk is retried
          }
          return r;
        } catch (ProtocolException e) {
          throw e;
        } catch (Exception e) {
          throw new ProtocolException(e.getMessage(), e);
        }
      });
    } catch (MessagingException e) {
      throw failure(e);
    }
  }

  @Override
  public Appended append(RawMessage message, Set<String> flags, Instant internalDate) {
    Literal literal = MultiAppend.literal(message);
    while (true) {
      try {
        AppendUID uid = (AppendUID) folder.doCommand(p ->
            p.appenduid(folder.getFullName(), ImapFlags.toFlags(flags), Date.from(internalDate), literal));
        return uid == null ? new Appended(null, null) : new Appended(uid.uidvalidity, uid.uid);
      } catch (MessagingException e) {
        // A NO asking to slow down stored nothing: wait as asked, then send the same message again.
        if (!(e.getCause() instanceof CommandFailedException && lease.backedOff(e))) {
          throw refusal(e);
        }
      }
    }
  }

  private RuntimeException refusal(MessagingException e) {
    Throwable cause = e.getCause();
    if (cause instanceof CommandFailedException || cause instanceof BadCommandException) {
      // Angus gives the whole tagged line ("A12 NO [LIMIT] …"): keep the server's words.
      String reason = String.valueOf(cause.getMessage()).strip().replaceFirst("^\\S+ (NO|BAD) ", "");
      // Dovecot appends its timing ("(0.001 + 0.000 secs)."): not the user's business.
      reason = reason.replaceFirst("\\s*\\(\\d+\\.\\d+ \\+ [^)]*secs\\)\\.?$", "").replaceFirst("\\.$", "");
      if (isQuotaRefusal(reason)) {
        return new MailferryException.DestinationFull("The destination is full: " + reason + ".", e);
      }
      return new MessageRefused(reason, e);
    }
    return failure(e);
  }

  /** RFC 5530 [OVERQUOTA], or the words of servers that lack the code (Dovecot, Exchange). */
  static boolean isQuotaRefusal(String reason) {
    String r = reason.toLowerCase(Locale.ROOT);
    // Gmail's "[OVERQUOTA] Account exceeded command or bandwidth limits" is a rate limit, not a full mailbox.
    if (ThrottleSignal.isBandwidthLimit(r) || r.contains("bandwidth")) {
      return false;
    }
    return r.contains("[overquota]") || r.contains("quota exceeded") || r.contains("over quota")
        || r.contains("mailbox is full") || r.contains("mailbox full");
  }

  private RuntimeException failure(MessagingException e) {
    return lease.failure(e);
  }

  @Override
  public void close() {
    lease.close();
  }

}

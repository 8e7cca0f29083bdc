package io.mailferry.sink.imap;

import io.mailferry.imap.ImapFlags;
import io.mailferry.imap.ImapListing;
import io.mailferry.imap.LeasedFolder;
import io.mailferry.mail.ContentKey;
import io.mailferry.mail.MailferryException;
import io.mailferry.mail.RawMessage;
import io.mailferry.net.MailSessions;
import io.mailferry.net.ServerRefusal;
import io.mailferry.sink.SinkFolder;
import io.mailferry.throttle.ThrottleSignal;
import jakarta.mail.MessagingException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.eclipse.angus.mail.iap.BadCommandException;
import org.eclipse.angus.mail.iap.ByteArray;
import org.eclipse.angus.mail.iap.CommandFailedException;
import org.eclipse.angus.mail.iap.Literal;
import org.eclipse.angus.mail.iap.ProtocolException;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.AppendUID;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.protocol.BODY;
import org.eclipse.angus.mail.imap.protocol.FetchResponse;
import org.eclipse.angus.mail.imap.protocol.UID;

/**
 * A destination folder open read-write. APPEND sends the exact bytes as a literal: Angus Mail's own
 * appendMessages re-serialises a MimeMessage and turns bare LF into CRLF, which would change the
 * message.
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
        stored.add(
            new Stored(
                e.uid(),
                new ContentKey(e.messageId(), e.size(), e.internalDate().getEpochSecond())));
      }
      return stored;
    } catch (MessagingException e) {
      throw failure(e);
    }
  }

  /**
   * Reads the stored message back by its UID (UID FETCH BODY.PEEK[], in pieces of {@link
   * MailSessions#FETCH_SIZE}): by UID, not by message number, so a message just appended is found
   * even when the server has not announced it with EXISTS yet.
   */
  @Override
  public String sha256(long uid) {
    MessageDigest digest = sha256Digest();
    try {
      for (long offset = 0; ; ) {
        byte[] piece = pieceOf(uid, offset);
        if (piece == null) {
          return offset == 0 ? null : HexFormat.of().formatHex(digest.digest());
        }
        digest.update(piece);
        offset += piece.length;
        if (piece.length < MailSessions.FETCH_SIZE) {
          return HexFormat.of().formatHex(digest.digest());
        }
        if (offset > Integer.MAX_VALUE - MailSessions.FETCH_SIZE) {
          // a partial FETCH cannot address more; a destination sending on for ever is not followed
          throw new MailferryException.ProtocolViolation(
              "The destination server broke the protocol reading back UID "
                  + uid
                  + ": it sent more than "
                  + offset
                  + " bytes.",
              null);
        }
      }
    } catch (MessagingException e) {
      throw failure(e);
    }
  }

  private static MessageDigest sha256Digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The bytes of message {@code uid} from {@code offset} on (at most FETCH_SIZE); null: no such
   * message.
   */
  private byte[] pieceOf(long uid, long offset) throws MessagingException {
    return (byte[])
        folder.doCommand(
            p -> {
              Response[] responses =
                  p.command(
                      "UID FETCH "
                          + uid
                          + " (BODY.PEEK[]<"
                          + offset
                          + "."
                          + MailSessions.FETCH_SIZE
                          + ">)",
                      null);
              byte[] found = null;
              List<Response> others = new ArrayList<>();
              for (int i = 0; i < responses.length - 1; i++) {
                Response r = responses[i];
                UID u = r instanceof FetchResponse f ? f.getItem(UID.class) : null;
                BODY body = r instanceof FetchResponse f ? f.getItem(BODY.class) : null;
                if (body != null && (u == null || u.uid == uid) && found == null) {
                  ByteArray data = body.getByteArray();
                  found =
                      data == null
                          ? new byte[0]
                          : java.util.Arrays.copyOfRange(
                              data.getBytes(), data.getStart(), data.getStart() + data.getCount());
                } else {
                  others.add(
                      r); // EXISTS, a flag change of another message: the folder's handlers see
                  // them
                }
              }
              p.notifyResponseHandlers(others.toArray(new Response[0]));
              p.handleResult(responses[responses.length - 1]);
              return found;
            });
  }

  /**
   * An IMAP server may store other bytes than it was sent (Cyrus's munge8bit rewrites 8-bit
   * headers).
   */
  @Override
  public boolean mayAlter() {
    return true;
  }

  @Override
  public FlagFilter flagFilter() {
    return new PermanentFlagsFilter(folder.getPermanentFlags());
  }

  /**
   * Messages per MULTIAPPEND: enough to save most round trips and per-command work of the server.
   */
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
      multiAppend =
          false; // the server does not take it after all: one message per command from now on
    }
    if (!tagged.isOK()) {
      throw new BatchRefused(tagged.toString(), null);
    }
    return MultiAppend.appended(tagged.toString(), messages.size());
  }

  private Response sendAll(List<Outgoing> messages) {
    try {
      return (Response)
          folder.doCommand(
              p -> {
                try {
                  Response r = MultiAppend.send(p, folder.getFullName(), messages);
                  if (r.isBYE()) {
                    p.handleResult(
                        r); // the connection is gone: thrown as such, and the chunk is retried
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
        AppendUID uid =
            (AppendUID)
                folder.doCommand(
                    p ->
                        p.appenduid(
                            folder.getFullName(),
                            ImapFlags.toFlags(flags),
                            Date.from(internalDate),
                            literal));
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
      String reason = ServerRefusal.strip(cause.getMessage());
      if (isQuotaRefusal(reason)) {
        return new MailferryException.DestinationFull(
            "The destination is full: " + reason + ".", e);
      }
      return new MessageRefused(reason, e);
    }
    return failure(e);
  }

  /**
   * RFC 5530 [OVERQUOTA], or the words of servers that lack the code: Dovecot's "Quota exceeded
   * (mailbox for user is full)", Cyrus's "Over quota", Courier's "[ALERT] You exceeded your mail
   * quota", Exchange's "mailbox is full". Taken for a failure of each message instead, a full
   * destination would burn through --max-failures and leave the refused messages behind the
   * checkpoint.
   */
  static boolean isQuotaRefusal(String reason) {
    String r = reason.toLowerCase(Locale.ROOT);
    // Gmail's "[OVERQUOTA] Account exceeded command or bandwidth limits" is a rate limit, not a
    // full mailbox.
    if (ThrottleSignal.isBandwidthLimit(r) || r.contains("bandwidth")) {
      return false;
    }
    return r.contains("[overquota]")
        || QUOTA_WORDS.matcher(r).find()
        || r.contains("mailbox is full")
        || r.contains("mailbox full");
  }

  /**
   * "quota exceeded", "over quota", "exceeded your mail quota", "quota is full", "quota reached".
   */
  private static final Pattern QUOTA_WORDS =
      Pattern.compile(
          "\\bquota (exceeded|is full|full|reached)|\\bover (the |your )?(mail |storage )?quota\\b"
              + "|\\bexceeded (the |your )?(mail |storage |mailbox )?quota\\b");

  private RuntimeException failure(MessagingException e) {
    return lease.failure(e);
  }

  @Override
  public void close() {
    lease.close();
  }
}

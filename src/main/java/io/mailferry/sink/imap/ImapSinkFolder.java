package io.mailferry.sink.imap;

import io.mailferry.imap.ImapFetchCommand;
import io.mailferry.imap.ImapFetchItems;
import io.mailferry.imap.ImapFlags;
import io.mailferry.imap.ImapListing;
import io.mailferry.imap.LeasedFolder;
import io.mailferry.imap.UidSets;
import io.mailferry.mail.ContentKey;
import io.mailferry.mail.MailferryException;
import io.mailferry.mail.MessageFlags;
import io.mailferry.mail.Printable;
import io.mailferry.mail.RawMessage;
import io.mailferry.net.MailSessions;
import io.mailferry.net.ServerRefusal;
import io.mailferry.sink.SinkFolder;
import io.mailferry.throttle.ThrottleSignal;
import jakarta.mail.MessagingException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Date;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.angus.mail.iap.Argument;
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
import org.eclipse.angus.mail.imap.protocol.IMAPProtocol;
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
      multiAppend = hasCapability("MULTIAPPEND");
    }
    return multiAppend ? MULTIAPPEND_BATCH : 1;
  }

  private boolean hasCapability(String name) {
    try {
      return (Boolean) folder.doCommand(p -> p.hasCapability(name));
    } catch (MessagingException e) {
      throw failure(e);
    }
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
    AppendUID uid =
        retryingSlowDowns(
            () ->
                (AppendUID)
                    folder.doCommand(
                        p ->
                            p.appenduid(
                                folder.getFullName(),
                                ImapFlags.toFlags(flags),
                                Date.from(internalDate),
                                literal)));
    return uid == null ? new Appended(null, null) : new Appended(uid.uidvalidity, uid.uid);
  }

  /** One command that the server may refuse. */
  @FunctionalInterface
  private interface Command<T> {
    T run() throws MessagingException;
  }

  /**
   * Runs the command; a NO asking to slow down did nothing (an APPEND stored nothing, a MOVE moved
   * nothing): waits as asked, then sends the same command again. Any other NO or BAD is thrown as
   * the server's words ({@link #refusal}).
   */
  private <T> T retryingSlowDowns(Command<T> command) {
    while (true) {
      try {
        return command.run();
      } catch (MessagingException e) {
        if (!(e.getCause() instanceof CommandFailedException && lease.backedOff(e))) {
          throw refusal(e);
        }
      }
    }
  }

  /** Whether the server has UIDPLUS (RFC 4315), and MOVE (RFC 6851); asked on first use. */
  private Boolean uidPlus;

  private Boolean move;

  /**
   * With UIDPLUS only: without UID EXPUNGE an expunge would take every message flagged \Deleted.
   */
  @Override
  public boolean editsByUid() {
    if (uidPlus == null) {
      uidPlus = hasCapability("UIDPLUS");
    }
    return uidPlus;
  }

  private boolean hasMove() {
    if (move == null) {
      move = hasCapability("MOVE");
    }
    return move;
  }

  @Override
  public long uidValidity() {
    try {
      return folder.getUIDValidity();
    } catch (MessagingException e) {
      throw failure(e);
    }
  }

  /**
   * UID FETCH (UID FLAGS), at most {@link UidSets#MAX_UIDS} UIDs a command. Only a FETCH naming a
   * UID asked for answers; any other (a flag change of another message) goes to the folder's
   * handlers. Flags read as the listing reads them: \Recent and what is neither a system flag nor a
   * keyword are left out. A FETCH that cannot be read breaks the protocol: taken for no answer, it
   * would say that a message is gone.
   */
  @Override
  public Map<Long, Set<String>> flagsOf(Collection<Long> uids) {
    Map<Long, Set<String>> flags = new HashMap<>();
    for (UidSets.Piece piece : UidSets.pieces(uids)) {
      String command = "UID FETCH " + piece.set() + " (UID FLAGS)";
      ImapFetchCommand.Answer answer =
          retryingSlowDowns(
              () -> ImapFetchCommand.run(folder, command, f -> answers(f, piece.uids())));
      for (ImapFetchItems f : answer.fetches()) {
        if (f.flags == null || f.uid == ImapFetchItems.UNKNOWN) {
          throw unreadable(command, f.problem() != null ? f.problem() : "a FETCH without FLAGS");
        }
        flags.put(f.uid, Set.copyOf(f.flags));
      }
      if (answer.unreadableResponses() > 0) {
        throw unreadable(command, answer.unreadableResponses() + " responses could not be read");
      }
    }
    return flags;
  }

  /**
   * The answer for a UID asked, with its FLAGS; or a FETCH that broke off before it said which
   * message and what flags (then the protocol is broken). A FETCH without UID (RFC 9051 6.4.9), of
   * another UID or without FLAGS (a MODSEQ change) is another message's news.
   */
  private static boolean answers(ImapFetchItems f, Set<Long> asked) {
    if (f.problem() != null && (f.uid == ImapFetchItems.UNKNOWN || f.flags == null)) {
      return f.uid == ImapFetchItems.UNKNOWN || asked.contains(f.uid);
    }
    return asked.contains(f.uid) && f.flags != null;
  }

  private MailferryException unreadable(String command, String what) {
    return new MailferryException.ProtocolViolation(
        "The destination server broke the protocol answering "
            + Printable.escape(command)
            + ": "
            + Printable.escape(what)
            + ".",
        null);
  }

  /** UID STORE +FLAGS.SILENT, then -FLAGS.SILENT: each only when it names a flag. */
  @Override
  public void storeFlags(long uid, Set<String> add, Set<String> remove) {
    String added = flagList(add);
    String removed = flagList(remove);
    if (uid < 1) {
      return; // no message has it
    }
    if (added != null) {
      edit("UID STORE " + uid + " +FLAGS.SILENT " + added, null);
    }
    if (removed != null) {
      edit("UID STORE " + uid + " -FLAGS.SILENT " + removed, null);
    }
  }

  /**
   * "(\Seen $Label)", or null for none. \Recent and what is no IMAP atom are never sent: a space
   * would make two flags of one (the flag filter drops such a keyword with a warning before).
   */
  private static String flagList(Set<String> flags) {
    List<String> sent = new ArrayList<>();
    for (String flag : flags) {
      String known = MessageFlags.known(flag);
      if (known != null && !sent.contains(known)) {
        sent.add(known);
      }
    }
    return sent.isEmpty() ? null : "(" + String.join(" ", sent) + ")";
  }

  @Override
  public void expunge(Collection<Long> uids) {
    requireUidPlus("expunge single messages");
    for (UidSets.Piece piece : UidSets.pieces(uids)) {
      expungeSet(piece.set());
    }
  }

  /** RFC 4315 2.1: UID EXPUNGE removes only the named messages of those flagged \Deleted. */
  private void expungeSet(String set) {
    edit("UID STORE " + set + " +FLAGS.SILENT (\\Deleted)", null);
    edit("UID EXPUNGE " + set, null);
  }

  private void requireUidPlus(String what) {
    if (!editsByUid()) {
      throw new IllegalStateException(
          "The destination server lacks UIDPLUS (RFC 4315), so mailferry cannot "
              + what
              + ": a plain EXPUNGE would remove every message flagged \\Deleted.");
    }
  }

  /**
   * UID MOVE; without MOVE, UID COPY and then the copies' originals expunged. The UIDs still here
   * are asked first: where the server names no COPYUID, those are the ones moved.
   */
  @Override
  public Map<Long, Long> moveTo(Collection<Long> uids, String serverName) {
    boolean moving = hasMove();
    if (!moving) {
      requireUidPlus("move messages without MOVE (RFC 6851)");
    }
    Map<Long, Long> moved = new HashMap<>();
    for (UidSets.Piece asked : UidSets.pieces(uids)) {
      for (UidSets.Piece piece : UidSets.pieces(flagsOf(asked.uids()).keySet())) {
        Response[] responses =
            edit(
                (moving ? "UID MOVE " : "UID COPY ") + piece.set(),
                p -> MultiAppend.mailboxArgument(p, serverName));
        Map<Long, Long> copied = copyUid(responses, piece.uids());
        Set<Long> done = copied == null ? piece.uids() : copied.keySet();
        if (!moving) {
          for (UidSets.Piece originals : UidSets.pieces(done)) {
            expungeSet(originals.set());
          }
        }
        for (long uid : done) {
          moved.put(uid, copied == null ? null : copied.get(uid));
        }
      }
    }
    return moved;
  }

  private static final Pattern COPYUID =
      Pattern.compile("\\[COPYUID \\d+ ([0-9:,]+) ([0-9:,]+)\\]", Pattern.CASE_INSENSITIVE);

  /**
   * Old UID to new UID from "[COPYUID uidvalidity old-set new-set]" (RFC 4315 3: the two sets in
   * the same order), in an untagged OK before the tagged one (MOVE, RFC 6851 4.3) or in the tagged
   * OK; only UIDs asked for. Null when no response carries a readable one.
   *
   * <p>A pair named twice counts once: GreenMail 2.1 writes old UIDs 1, 2, 4 moved to 1, 2, 3 as
   * "1,1:2,4 1,1:3". Sets that give one UID two partners are not read.
   */
  static Map<Long, Long> copyUid(Response[] responses, Set<Long> asked) {
    for (Response r : responses) {
      Matcher m = COPYUID.matcher(String.valueOf(r));
      if (m.find()) {
        return pairs(m.group(1), m.group(2), asked);
      }
    }
    return null;
  }

  private static Map<Long, Long> pairs(String oldSet, String newSet, Set<Long> asked) {
    int most = 2 * asked.size() + 1;
    List<Long> from = UidSets.expand(oldSet, most);
    List<Long> to = UidSets.expand(newSet, most);
    if (from == null || to == null || from.size() != to.size()) {
      return null;
    }
    Map<Long, Long> copied = new HashMap<>();
    Map<Long, Long> back = new HashMap<>();
    for (int i = 0; i < from.size(); i++) {
      Long before = copied.putIfAbsent(from.get(i), to.get(i));
      Long source = back.putIfAbsent(to.get(i), from.get(i));
      if ((before != null && !before.equals(to.get(i)))
          || (source != null && !source.equals(from.get(i)))) {
        return null;
      }
    }
    copied.keySet().retainAll(asked);
    return copied;
  }

  /**
   * Sends one command that changes the folder, with its arguments (null for none). Untagged
   * responses (EXPUNGE, FETCH of other messages, an OK with COPYUID) go to the folder's handlers; a
   * NO or BAD is thrown in the server's words.
   *
   * @return all responses, the tagged one last
   */
  private Response[] edit(String command, Function<IMAPProtocol, Argument> arguments) {
    return retryingSlowDowns(
        () ->
            (Response[])
                folder.doCommand(
                    p -> {
                      Response[] responses =
                          p.command(command, arguments == null ? null : arguments.apply(p));
                      p.notifyResponseHandlers(
                          Arrays.copyOf(responses, responses.length - 1, Response[].class));
                      p.handleResult(responses[responses.length - 1]);
                      return responses;
                    }));
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

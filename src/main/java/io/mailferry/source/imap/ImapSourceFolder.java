package io.mailferry.source.imap;

import io.mailferry.imap.ImapBodies;
import io.mailferry.imap.ImapFetchCommand;
import io.mailferry.imap.ImapFetchItems;
import io.mailferry.imap.ImapListing;
import io.mailferry.imap.ImapStores;
import io.mailferry.imap.LeasedFolder;
import io.mailferry.imap.UidSets;
import io.mailferry.mail.AnnouncedSize;
import io.mailferry.mail.FolderInfo;
import io.mailferry.mail.FolderPath;
import io.mailferry.mail.MessageRef;
import io.mailferry.mail.Printable;
import io.mailferry.mail.RawMessage;
import io.mailferry.net.ConnectionFailures;
import io.mailferry.source.SourceFolder;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongPredicate;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.eclipse.angus.mail.imap.protocol.IMAPResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A source folder open read-only. Small messages are fetched many per command (one round trip per
 * batch); a message above {@link #IN_MEMORY_LIMIT} is fetched in partial FETCHes into a temporary
 * file, so heap use never depends on message size.
 */
final class ImapSourceFolder implements SourceFolder {

  private static final Logger log = LoggerFactory.getLogger(ImapSourceFolder.class);

  static final long IN_MEMORY_LIMIT = 4L << 20;

  /**
   * Bytes of small messages per UID FETCH: few round trips, and little heap per open folder. The
   * whole answer sits in memory until the command ends, for every folder copied at once; at 8 MiB
   * the batches in flight outgrew the young generation and the heap grew to its cap.
   */
  private static final long BATCH_BYTES = 2L << 20;

  /** A message of a folder, across the connections that open it. */
  record MessageKey(String serverName, long uidValidity, long uid) {}

  private final FolderPath path;
  private final String serverName;
  private final ImapStores stores;
  private LeasedFolder lease;
  private IMAPFolder folder;
  private final Path spoolDir;
  private final long maxMessageSize;

  /** Messages whose RFC822.SIZE could not be read (shared by every folder of the source). */
  private final Set<MessageKey> unknownSize;

  private ListingNotes notes = ListingNotes.NONE;

  ImapSourceFolder(
      FolderInfo info,
      ImapStores stores,
      Path spoolDir,
      long maxMessageSize,
      Set<MessageKey> unknownSize) {
    this.path = info.path();
    this.serverName = info.serverName();
    this.stores = stores;
    // EXAMINE, not SELECT: the source is never changed (RFC 9051 6.3.3).
    this.lease = stores.open(serverName, Folder.READ_ONLY);
    this.folder = lease.folder();
    this.spoolDir = spoolDir;
    this.maxMessageSize = maxMessageSize;
    this.unknownSize = unknownSize;
  }

  /**
   * After a breach the connection is out of step with the server (a literal was not read to its
   * end): a new one takes its place, on the same folder.
   */
  private void reopen(MessagingException breach) {
    lease.failure(breach); // discarded, not given back
    lease.close();
    lease = stores.open(serverName, Folder.READ_ONLY);
    folder = lease.folder();
  }

  private MessageKey key(MessageRef ref) {
    return new MessageKey(serverName, ref.uidValidity(), ref.uid());
  }

  @Override
  public long uidValidity() {
    return guarded(folder::getUIDValidity);
  }

  @Override
  public List<MessageRef> listAfter(long lastUid, LongPredicate alreadyCopied) {
    return guarded(
        () -> described(ImapListing.from(folder, lastUid + 1), lastUid == 0 ? null : -1));
  }

  @Override
  public List<MessageRef> listChangedSince(long modSeq) {
    return guarded(
        () -> {
          if (!((IMAPStore) folder.getStore()).hasCapability("CONDSTORE")) {
            return null;
          }
          ImapListing.Listing listing = ImapListing.changedSince(folder, modSeq);
          return described(listing, listing.exists());
        });
  }

  /**
   * The listing as message references, its warnings logged with their UIDs and kept as the
   * listing's notes.
   *
   * @param held the message count to note: null for the listing's own EXISTS (a whole listing), -1
   *     for none
   */
  private List<MessageRef> described(ImapListing.Listing listing, Integer held)
      throws MessagingException {
    long uidValidity = folder.getUIDValidity();
    List<MessageRef> refs = new ArrayList<>(listing.entries().size());
    for (ImapListing.Entry e : listing.entries()) {
      if (e.size() < 0) {
        // fetched on its own in pieces: its size cannot set a batch's
        unknownSize.add(new MessageKey(serverName, uidValidity, e.uid()));
      }
      refs.add(
          new MessageRef(
              path,
              uidValidity,
              e.uid(),
              Math.max(0, e.size()),
              e.internalDate(),
              e.flags(),
              e.messageId()));
    }
    List<String> warnings = new ArrayList<>();
    for (ImapListing.Warning w : listing.warnings()) {
      log.warn(
          "{} UID {}: {} (the server sent: {})",
          Printable.escape(path.toString()),
          w.uid(),
          w.text(),
          Printable.escape(w.detail()));
      warnings.add(w.text());
    }
    List<ListingNotes.Unlisted> unlisted = new ArrayList<>();
    for (ImapListing.Unlisted u : listing.unlisted()) {
      log.warn("{}: {}", Printable.escape(path.toString()), u.reason());
      unlisted.add(new ListingNotes.Unlisted(u.uid(), u.reason(), u.count()));
    }
    notes = new ListingNotes(warnings, unlisted, held == null ? listing.exists() : held);
    return refs;
  }

  @Override
  public ListingNotes listingNotes() {
    return notes;
  }

  @Override
  public void fetch(List<MessageRef> refs, BodyHandler handler) {
    List<MessageRef> batch = new ArrayList<>();
    long batchBytes = 0;
    for (MessageRef ref : refs) {
      if (ref.size() > IN_MEMORY_LIMIT || unknownSize.contains(key(ref))) {
        fetchBatch(batch, handler);
        batch.clear();
        batchBytes = 0;
        fetchLarge(ref, handler);
        continue;
      }
      if (batchBytes + ref.size() > BATCH_BYTES && !batch.isEmpty()) {
        fetchBatch(batch, handler);
        batch.clear();
        batchBytes = 0;
      }
      batch.add(ref);
      batchBytes += ref.size();
    }
    fetchBatch(batch, handler);
  }

  private void fetchBatch(List<MessageRef> batch, BodyHandler handler) {
    if (batch.isEmpty()) {
      return;
    }
    Map<Long, ImapFetchItems> bodies;
    try {
      bodies = fetchBodies(batch);
    } catch (MessagingException e) {
      String oversized = ConnectionFailures.oversized(e);
      if (oversized == null) {
        throw lease.failure(e);
      }
      // A body larger than its RFC822.SIZE said: which one is not known (the guard cut the
      // answer off before Angus read it), so each message of the batch is asked for alone, in
      // pieces, held to its own announced size; the liar fails alone, named.
      log.warn(
          "{}: the source server {}; these {} messages are fetched again one at a time",
          Printable.escape(path.toString()),
          serverSays(oversized),
          batch.size());
      reopen(e);
      for (MessageRef ref : batch) {
        fetchLarge(ref, handler);
      }
      return;
    }
    List<MessageRef> withoutBody = new ArrayList<>();
    for (MessageRef ref : batch) {
      ImapFetchItems f = bodies.get(ref.uid());
      if (f == null || f.problem() != null || f.bodyStart < 0) {
        withoutBody.add(ref);
      }
    }
    // "Gone from the source" only when the server no longer lists the UID; a message it still
    // lists whose answer could not be read is a failed message, named with the reason.
    Set<Long> stillListed =
        withoutBody.isEmpty() ? Set.of() : guarded(() -> stillListed(withoutBody));
    for (MessageRef ref : batch) {
      ImapFetchItems f = bodies.remove(ref.uid());
      if (f != null && f.problem() == null && f.bodyStart >= 0) {
        try (RawMessage raw = RawMessage.of(f.buffer(), f.bodyStart, f.bodyLength)) {
          handler.accept(ref, raw);
        }
      } else if (stillListed.contains(ref.uid())) {
        String reason =
            f == null
                ? "the server answered FETCH BODY[] without it"
                : f.problem() != null
                    ? "the server's answer to FETCH BODY[] could not be read: " + f.problem()
                    : "the server's answer to FETCH BODY[] held no body";
        handler.unreadable(ref, reason);
      } else {
        handler.accept(ref, null);
      }
    }
  }

  /**
   * The bodies stay in the buffers of their FETCH responses: one copy of each message in memory,
   * not two.
   */
  private Map<Long, ImapFetchItems> fetchBodies(List<MessageRef> batch) throws MessagingException {
    Map<Long, ImapFetchItems> bodies = new HashMap<>();
    List<Long> sizes = batch.stream().map(MessageRef::size).toList();
    var answer =
        ImapFetchCommand.runForBodies(
            folder, "UID FETCH " + uidSet(batch) + " (UID BODY.PEEK[])", sizes, maxMessageSize);
    for (ImapFetchItems f : answer.fetches()) {
      boolean wholeBody = f.bodySection == null || f.bodySection.equalsIgnoreCase("BODY[]");
      if (f.uid > 0 && wholeBody && (f.bodyStart >= 0 || f.problem() != null)) {
        bodies.put(f.uid, f);
      }
    }
    return bodies;
  }

  @Override
  public Set<Long> stillHeld(Collection<Long> uids) {
    return guarded(
        () -> {
          Set<Long> held = new HashSet<>();
          for (UidSets.Piece piece : UidSets.pieces(uids, SEARCH_UIDS)) {
            held.addAll(stillListed(piece.set()));
          }
          held.retainAll(uids); // a server's answer names only what was asked, or counts nothing
          return held;
        });
  }

  /**
   * UIDs one UID SEARCH names at most: its answer is one line, which must stay within the line
   * bound of {@code ResponseGuard} (1 MiB) at 11 characters a UID.
   */
  private static final int SEARCH_UIDS = 50_000;

  private Set<Long> stillListed(List<MessageRef> refs) throws MessagingException {
    return stillListed(uidSet(refs));
  }

  /** Which of the UIDs of this set the server still lists (UID SEARCH UID, RFC 9051 6.4.4). */
  private Set<Long> stillListed(String uidSet) throws MessagingException {
    Set<Long> listed = new HashSet<>();
    folder.doCommand(
        p -> {
          Response[] responses = p.command("UID SEARCH UID " + uidSet, null);
          List<Response> others = new ArrayList<>();
          for (Response r : responses) {
            if (r instanceof IMAPResponse ir && ir.isUnTagged() && ir.keyEquals("SEARCH")) {
              for (long uid = ir.readLong(); uid > 0; uid = ir.readLong()) {
                listed.add(uid);
              }
            } else {
              others.add(r);
            }
          }
          p.notifyResponseHandlers(others.toArray(Response[]::new));
          p.handleResult(responses[responses.length - 1]);
          return null;
        });
    return listed;
  }

  private static String uidSet(List<MessageRef> refs) {
    StringBuilder set = new StringBuilder();
    for (MessageRef ref : refs) {
      set.append(set.isEmpty() ? "" : ",").append(ref.uid());
    }
    return set.toString();
  }

  /**
   * The largest message this run spools when the server did not say its size, unless
   * --max-message-size says.
   */
  static final long UNKNOWN_SIZE_LIMIT = 512L << 20;

  private void fetchLarge(MessageRef ref, BodyHandler handler) {
    boolean sizeUnknown = unknownSize.contains(key(ref));
    // A size the listing could not read bounds nothing: then --max-message-size, or a ceiling.
    long limit =
        sizeUnknown
            ? (maxMessageSize > 0 ? maxMessageSize : UNKNOWN_SIZE_LIMIT)
            : AnnouncedSize.allowed(ref.size(), maxMessageSize);
    String limitWords =
        sizeUnknown
            ? " for a message whose size it did not say"
                + (maxMessageSize > 0
                    ? " (--max-message-size " + maxMessageSize + ")"
                    : " (--max-message-size allows more)")
            : " for a message it listed as "
                + ref.size()
                + " bytes"
                + (maxMessageSize > 0 && limit == maxMessageSize
                    ? " (--max-message-size " + maxMessageSize + ")"
                    : "");
    RawMessage raw;
    try {
      raw = spool(ref, limit);
    } catch (ImapBodies.TooLong e) {
      handler.unreadable(ref, e.getMessage() + limitWords + ": not copied");
      return;
    } catch (MessagingException e) {
      String oversized = ConnectionFailures.oversized(e);
      if (oversized == null) {
        throw lease.failure(e);
      }
      // A piece larger than asked for: this message fails; the others go on, on a new connection.
      reopen(e);
      handler.unreadable(ref, serverSays(oversized) + ": not copied");
      return;
    }
    if (raw == null && guarded(() -> stillListed(List.of(ref))).contains(ref.uid())) {
      // "Gone from the source" only when the server no longer lists the UID (as for a batch).
      handler.unreadable(ref, "the server still lists it but did not answer a FETCH of it");
      return;
    }
    try (RawMessage body = raw) {
      if (body != null && body.size() == 0 && (ref.size() > 0 || sizeUnknown)) {
        // A partial FETCH whose answer Angus could not read comes back as no bytes at all.
        handler.unreadable(ref, "the server's answer to FETCH BODY[] held no bytes");
      } else {
        handler.accept(ref, body);
      }
    }
  }

  /**
   * The message's bytes in the spool (null when it is gone from the source), at most {@code limit}.
   */
  private RawMessage spool(MessageRef ref, long limit)
      throws MessagingException, ImapBodies.TooLong {
    Message message = folder.getMessageByUID(ref.uid());
    if (message == null) {
      return null;
    }
    try (RawMessage.Spool spool = RawMessage.spool(spoolDir)) {
      ImapBodies.stream(folder, message.getMessageNumber(), limit, spool::write);
      return spool.finish(); // unfinished (TooLong), the spool is closed and deleted
    } catch (IOException e) {
      throw new MessagingException("cannot spool a large message to " + spoolDir, e);
    }
  }

  /** The guard's words ("it sent ...", "its answer ...") about the source server. */
  private static String serverSays(String guardWords) {
    return guardWords.startsWith("its ")
        ? "the server's " + guardWords.substring(4)
        : guardWords.startsWith("it ") ? "the server " + guardWords.substring(3) : guardWords;
  }

  private <T> T guarded(Work<T> work) {
    try {
      return work.run();
    } catch (MessagingException e) {
      throw lease.failure(e);
    }
  }

  @FunctionalInterface
  private interface Work<T> {
    T run() throws MessagingException;
  }

  @Override
  public void close() {
    lease.close();
  }
}

package io.mailferry.source.imap;

import io.mailferry.mail.FolderPath;
import io.mailferry.mail.ImapBodies;
import io.mailferry.mail.LeasedFolder;
import io.mailferry.mail.ImapFetchCommand;
import io.mailferry.mail.ImapFetchItems;
import io.mailferry.mail.ImapListing;
import io.mailferry.mail.Printable;
import io.mailferry.mail.MessageRef;
import io.mailferry.mail.RawMessage;
import io.mailferry.source.SourceFolder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongPredicate;
import java.util.HashSet;
import java.util.Set;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.protocol.IMAPResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A source folder open read-only. Small messages are fetched many per command (one round trip
 * per batch); a message above {@link #IN_MEMORY_LIMIT} is fetched in partial FETCHes into a
 * temporary file, so heap use never depends on message size.
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

  private final FolderPath path;
  private final LeasedFolder lease;
  private final IMAPFolder folder;
  private final Path spoolDir;
  /** UIDs of the last listing whose RFC822.SIZE could not be read. */
  private final Set<Long> unknownSize = new HashSet<>();
  private ListingNotes notes = ListingNotes.NONE;

  ImapSourceFolder(FolderPath path, LeasedFolder lease, Path spoolDir) {
    this.path = path;
    this.lease = lease;
    this.folder = lease.folder();
    this.spoolDir = spoolDir;
  }

  @Override
  public long uidValidity() {
    return guarded(folder::getUIDValidity);
  }

  @Override
  public List<MessageRef> listAfter(long lastUid, LongPredicate alreadyCopied) {
    return guarded(() -> {
      long uidValidity = folder.getUIDValidity();
      ImapListing.Listing listing = ImapListing.from(folder, lastUid + 1);
      List<MessageRef> refs = new ArrayList<>(listing.entries().size());
      unknownSize.clear();
      for (ImapListing.Entry e : listing.entries()) {
        if (e.size() < 0) {
          unknownSize.add(e.uid()); // fetched on its own in pieces: its size cannot set a batch's
        }
        refs.add(new MessageRef(path, uidValidity, e.uid(), Math.max(0, e.size()), e.internalDate(),
            e.flags(), e.messageId()));
      }
      List<String> warnings = new ArrayList<>();
      for (ImapListing.Warning w : listing.warnings()) {
        log.warn("{} UID {}: {} (the server sent: {})", Printable.escape(path.toString()), w.uid(), w.text(),
            Printable.escape(w.detail()));
        warnings.add(w.text());
      }
      List<ListingNotes.Unlisted> unlisted = new ArrayList<>();
      for (ImapListing.Unlisted u : listing.unlisted()) {
        log.warn("{}: {}", Printable.escape(path.toString()), u.reason());
        unlisted.add(new ListingNotes.Unlisted(u.uid(), u.reason(), u.count()));
      }
      notes = new ListingNotes(warnings, unlisted, lastUid == 0 ? listing.exists() : -1);
      return refs;
    });
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
      if (ref.size() > IN_MEMORY_LIMIT || unknownSize.contains(ref.uid())) {
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
    Map<Long, ImapFetchItems> bodies = guarded(() -> fetchBodies(batch));
    List<MessageRef> withoutBody = new ArrayList<>();
    for (MessageRef ref : batch) {
      ImapFetchItems f = bodies.get(ref.uid());
      if (f == null || f.problem() != null || f.bodyStart < 0) {
        withoutBody.add(ref);
      }
    }
    // "Gone from the source" only when the server no longer lists the UID; a message it still
    // lists whose answer could not be read is a failed message, named with the reason.
    Set<Long> stillListed = withoutBody.isEmpty() ? Set.of() : guarded(() -> stillListed(withoutBody));
    for (MessageRef ref : batch) {
      ImapFetchItems f = bodies.remove(ref.uid());
      if (f != null && f.problem() == null && f.bodyStart >= 0) {
        try (RawMessage raw = RawMessage.of(f.buffer(), f.bodyStart, f.bodyLength)) {
          handler.accept(ref, raw);
        }
      } else if (stillListed.contains(ref.uid())) {
        String reason = f == null ? "the server answered FETCH BODY[] without it"
            : f.problem() != null ? "the server's answer to FETCH BODY[] could not be read: " + f.problem()
            : "the server's answer to FETCH BODY[] held no body";
        handler.unreadable(ref, reason);
      } else {
        handler.accept(ref, null);
      }
    }
  }

  /** The bodies stay in the buffers of their FETCH responses: one copy of each message in memory, not two. */
  private Map<Long, ImapFetchItems> fetchBodies(List<MessageRef> batch) throws MessagingException {
    Map<Long, ImapFetchItems> bodies = new HashMap<>();
    for (ImapFetchItems f : ImapFetchCommand.run(folder, "UID FETCH " + uidSet(batch) + " (UID BODY.PEEK[])").fetches()) {
      boolean wholeBody = f.bodySection == null || f.bodySection.equalsIgnoreCase("BODY[]");
      if (f.uid > 0 && wholeBody && (f.bodyStart >= 0 || f.problem() != null)) {
        bodies.put(f.uid, f);
      }
    }
    return bodies;
  }

  /** Which of these UIDs the server still lists (UID SEARCH UID, RFC 9051 6.4.4). */
  private Set<Long> stillListed(List<MessageRef> refs) throws MessagingException {
    Set<Long> listed = new HashSet<>();
    folder.doCommand(p -> {
      Response[] responses = p.command("UID SEARCH UID " + uidSet(refs), null);
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

  private void fetchLarge(MessageRef ref, BodyHandler handler) {
    RawMessage raw = guarded(() -> {
      Message message = folder.getMessageByUID(ref.uid());
      if (message == null) {
        return null;
      }
      try (RawMessage.Spool spool = RawMessage.spool(spoolDir)) {
        ImapBodies.stream(folder, message.getMessageNumber(), spool::write);
        return spool.finish();
      } catch (IOException e) {
        throw new MessagingException("cannot spool a large message to " + spoolDir, e);
      }
    });
    try (raw) {
      if (raw != null && raw.size() == 0 && (ref.size() > 0 || unknownSize.contains(ref.uid()))) {
        // A partial FETCH whose answer Angus could not read comes back as no bytes at all.
        handler.unreadable(ref, "the server's answer to FETCH BODY[] held no bytes");
      } else {
        handler.accept(ref, raw);
      }
    }
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

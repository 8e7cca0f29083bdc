package io.mailferry.source.imap;

import io.mailferry.mail.FolderPath;
import io.mailferry.mail.ImapBodies;
import io.mailferry.mail.LeasedFolder;
import io.mailferry.mail.ImapFlags;
import io.mailferry.mail.ImapListing;
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
import org.eclipse.angus.mail.iap.ByteArray;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.protocol.BODY;
import org.eclipse.angus.mail.imap.protocol.FetchResponse;
import org.eclipse.angus.mail.imap.protocol.UID;

/**
 * A source folder open read-only. Small messages are fetched many per command (one round trip
 * per batch); a message above {@link #IN_MEMORY_LIMIT} is fetched in partial FETCHes into a
 * temporary file, so heap use never depends on message size.
 */
final class ImapSourceFolder implements SourceFolder {

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
      List<ImapListing.Entry> listed = ImapListing.from(folder, lastUid + 1);
      List<MessageRef> refs = new ArrayList<>(listed.size());
      for (ImapListing.Entry e : listed) {
        refs.add(new MessageRef(path, uidValidity, e.uid(), e.size(), e.internalDate(),
            ImapFlags.toStrings(e.flags()), e.messageId()));
      }
      return refs;
    });
  }

  @Override
  public void fetch(List<MessageRef> refs, BodyHandler handler) {
    List<MessageRef> batch = new ArrayList<>();
    long batchBytes = 0;
    for (MessageRef ref : refs) {
      if (ref.size() > IN_MEMORY_LIMIT) {
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
    Map<Long, ByteArray> bodies = guarded(() -> fetchBodies(batch));
    for (MessageRef ref : batch) {
      ByteArray body = bodies.remove(ref.uid());
      if (body == null) {
        handler.accept(ref, null);
      } else {
        try (RawMessage raw = RawMessage.of(body.getBytes(), body.getStart(), body.getCount())) {
          handler.accept(ref, raw);
        }
      }
    }
  }

  /** The bodies stay in the buffers of their FETCH responses: one copy of each message in memory, not two. */
  private Map<Long, ByteArray> fetchBodies(List<MessageRef> batch) throws MessagingException {
    StringBuilder set = new StringBuilder();
    for (MessageRef ref : batch) {
      set.append(set.isEmpty() ? "" : ",").append(ref.uid());
    }
    Map<Long, ByteArray> bodies = new HashMap<>();
    folder.doCommand(p -> {
      Response[] responses = p.command("UID FETCH " + set + " (UID BODY.PEEK[])", null);
      List<Response> others = new ArrayList<>();
      for (Response r : responses) {
        if (!(r instanceof FetchResponse fetch)) {
          others.add(r); // EXISTS, EXPUNGE, …: the folder keeps its own state from these
        } else {
          UID uid = fetch.getItem(UID.class);
          BODY body = fetch.getItem(BODY.class);
          if (uid != null && body != null && body.getByteArray() != null) {
            bodies.put(uid.uid, body.getByteArray());
          }
        }
      }
      p.notifyResponseHandlers(others.toArray(Response[]::new));
      p.handleResult(responses[responses.length - 1]);
      return null;
    });
    return bodies;
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
      handler.accept(ref, raw);
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

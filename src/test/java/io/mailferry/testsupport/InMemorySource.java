package io.mailferry.testsupport;

import io.mailferry.mail.FolderInfo;
import io.mailferry.mail.FolderPath;
import io.mailferry.mail.FolderStatus;
import io.mailferry.mail.MessageHeaders;
import io.mailferry.mail.MessageRef;
import io.mailferry.mail.RawMessage;
import io.mailferry.source.MailSource;
import io.mailferry.source.SourceFolder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongPredicate;

/**
 * A source held in memory, for the {@code sync} tests: folders of messages with UIDs that grow as
 * they are put, a UIDVALIDITY that changes when a folder is made again, and STATUS with or without
 * HIGHESTMODSEQ (CONDSTORE). It passes {@code source/SourceContract} (InMemorySourceTests), so what
 * the sync tests learn from it holds for the real sources. Not thread-safe.
 */
public final class InMemorySource implements MailSource {

  private final Map<FolderPath, Folder> folders = new LinkedHashMap<>();
  private final boolean condstore;
  private long nextUidValidity = 1000;
  private int open;
  private int peak;

  /**
   * @param condstore whether STATUS says HIGHESTMODSEQ (a flag change then shows there)
   */
  public InMemorySource(boolean condstore) {
    this.condstore = condstore;
    folder("INBOX");
  }

  private static final class Folder {
    final FolderPath path;
    long uidValidity;
    long nextUid = 1;
    long modSeq = 1;
    final TreeMap<Long, Message> messages = new TreeMap<>();

    Folder(FolderPath path, long uidValidity) {
      this.path = path;
      this.uidValidity = uidValidity;
    }
  }

  private record Message(byte[] raw, Set<String> flags, Instant internalDate, String messageId) {}

  private static FolderPath path(String folder) {
    return folder.equalsIgnoreCase("INBOX") ? FolderPath.INBOX : FolderPath.parse(folder);
  }

  private Folder folder(String folder) {
    return folders.computeIfAbsent(path(folder), p -> new Folder(p, nextUidValidity++));
  }

  private Folder existing(String folder) {
    Folder f = folders.get(path(folder));
    if (f == null) {
      throw new IllegalArgumentException("no folder " + folder);
    }
    return f;
  }

  /**
   * Puts a message into a folder ('/'-written), creating the folder when missing; returns its UID.
   */
  public long put(String folder, byte[] raw, Set<String> flags, Instant internalDate) {
    Folder f = folder(folder);
    long uid = f.nextUid++;
    f.messages.put(
        uid,
        new Message(
            raw.clone(), Set.copyOf(flags), internalDate, MessageHeaders.parse(raw).messageId()));
    f.modSeq++;
    return uid;
  }

  /** Sets a message's flags, as a mail client would (the folder's HIGHESTMODSEQ grows). */
  public void setFlags(String folder, long uid, Set<String> flags) {
    Folder f = existing(folder);
    Message m = f.messages.get(uid);
    f.messages.put(uid, new Message(m.raw(), Set.copyOf(flags), m.internalDate(), m.messageId()));
    f.modSeq++;
  }

  /** Expunges a message. */
  public void remove(String folder, long uid) {
    Folder f = existing(folder);
    f.messages.remove(uid);
    f.modSeq++;
  }

  /** The UIDs of a folder in order. */
  public List<Long> uids(String folder) {
    return List.copyOf(existing(folder).messages.keySet());
  }

  /** Deletes the folder with its messages and makes it again, empty, under a new UIDVALIDITY. */
  public void recreate(String folder) {
    Folder f = existing(folder);
    f.messages.clear();
    f.uidValidity = nextUidValidity++;
    f.nextUid = 1;
    f.modSeq++;
  }

  @Override
  public List<FolderInfo> listFolders() {
    List<FolderInfo> out = new ArrayList<>();
    for (FolderPath p : folders.keySet()) {
      out.add(new FolderInfo(p, p.toString(), null, true, true));
    }
    return out;
  }

  @Override
  public FolderStatus status(FolderInfo folder) {
    Folder f = existing(folder.path().toString());
    return new FolderStatus(
        f.uidValidity, f.nextUid, f.messages.size(), condstore ? f.modSeq : null);
  }

  @Override
  public SourceFolder open(FolderInfo info) {
    Folder f = existing(info.path().toString());
    open++;
    peak = Math.max(peak, open);
    long uidValidity = f.uidValidity;
    return new SourceFolder() {
      @Override
      public long uidValidity() {
        return uidValidity;
      }

      @Override
      public List<MessageRef> listAfter(long lastUid, LongPredicate alreadyCopied) {
        List<MessageRef> refs = new ArrayList<>();
        f.messages
            .tailMap(lastUid, false)
            .forEach(
                (uid, m) ->
                    refs.add(
                        new MessageRef(
                            f.path,
                            uidValidity,
                            uid,
                            m.raw().length,
                            m.internalDate(),
                            m.flags(),
                            m.messageId())));
        return refs;
      }

      @Override
      public void fetch(List<MessageRef> refs, BodyHandler handler) {
        for (MessageRef ref : refs) {
          Message m = f.uidValidity == uidValidity ? f.messages.get(ref.uid()) : null;
          handler.accept(ref, m == null ? null : RawMessage.of(m.raw()));
        }
      }

      @Override
      public void close() {
        open--;
      }
    };
  }

  @Override
  public int peakConnections() {
    return peak;
  }

  @Override
  public void close() {}
}

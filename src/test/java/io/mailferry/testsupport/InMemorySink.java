package io.mailferry.testsupport;

import io.mailferry.mail.ContentKey;
import io.mailferry.mail.FolderInfo;
import io.mailferry.mail.FolderPath;
import io.mailferry.mail.MessageFlags;
import io.mailferry.mail.MessageHeaders;
import io.mailferry.mail.MessageRef;
import io.mailferry.mail.RawMessage;
import io.mailferry.sink.MailSink;
import io.mailferry.sink.QuotaRoot;
import io.mailferry.sink.SinkFolder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A destination held in memory, for the {@code sync} tests: it stores the exact bytes, flags and
 * date of each message appended and returns its UID (as UIDPLUS does), batches up to ten messages
 * (MULTIAPPEND), and, when made {@link #followingFlagChanges()}, brings the flags of an earlier
 * copy up to date (as an archive does); else it reads, changes, moves and expunges messages by UID
 * (as IMAP with UIDPLUS and MOVE). It passes {@code sink/SinkContract} (InMemorySinkTests). Not
 * thread-safe.
 */
public final class InMemorySink implements MailSink {

  /**
   * A message as stored, with the source message it came from (null when put there as by another
   * tool).
   */
  public record Message(
      long uid,
      byte[] raw,
      String sha256,
      Set<String> flags,
      Instant internalDate,
      MessageRef source) {}

  private static final int BATCH = 10;

  private final boolean followsFlagChanges;
  private final Map<String, TreeMap<Long, Message>> folders = new LinkedHashMap<>();
  private final Map<String, Long> nextUid = new LinkedHashMap<>();
  private int open;
  private int peak;

  private InMemorySink(boolean followsFlagChanges) {
    this.followsFlagChanges = followsFlagChanges;
    folders.put("INBOX", new TreeMap<>());
  }

  /**
   * As an IMAP server with UIDPLUS and MULTIAPPEND: an earlier copy keeps the flags it was given.
   */
  public static InMemorySink imapLike() {
    return new InMemorySink(false);
  }

  /** As an archive: a re-run brings the flags of earlier copies up to date. */
  public static InMemorySink followingFlagChanges() {
    return new InMemorySink(true);
  }

  /** What a folder holds, in the order stored. */
  public List<Message> messages(String folder) {
    TreeMap<Long, Message> f = folders.get(folder);
    return f == null ? List.of() : List.copyOf(f.values());
  }

  /** The folders that exist, '/'-written, in the order made. */
  public List<String> folderNames() {
    return List.copyOf(folders.keySet());
  }

  private TreeMap<Long, Message> existing(String folder) {
    TreeMap<Long, Message> f = folders.get(folder);
    if (f == null) {
      throw new IllegalStateException("no folder " + folder + " at the destination");
    }
    return f;
  }

  @Override
  public Layout layout() {
    List<FolderInfo> infos = new ArrayList<>();
    for (String name : folders.keySet()) {
      infos.add(new FolderInfo(FolderPath.parse(name), name, null, true, true));
    }
    return new Layout('/', "", infos);
  }

  @Override
  public void ensureFolder(String serverName, boolean subscribe) {
    String parent = null;
    for (String segment : serverName.split("/")) {
      parent = parent == null ? segment : parent + "/" + segment;
      folders.putIfAbsent(parent, new TreeMap<>());
    }
  }

  @Override
  public SinkFolder open(String serverName) {
    TreeMap<Long, Message> stored = existing(serverName);
    open++;
    peak = Math.max(peak, open);
    return new Folder(serverName, stored);
  }

  @Override
  public Map<String, List<QuotaRoot>> quotaRoots(Collection<String> folders) {
    return null;
  }

  @Override
  public Long appendLimit(String serverName) {
    return null;
  }

  @Override
  public int peakConnections() {
    return peak;
  }

  @Override
  public boolean followsFlagChanges() {
    return followsFlagChanges;
  }

  @Override
  public void close() {}

  private final class Folder implements SinkFolder {
    private final String name;
    private final TreeMap<Long, Message> stored;

    Folder(String name, TreeMap<Long, Message> stored) {
      this.name = name;
      this.stored = stored;
    }

    @Override
    public List<SinkFolder.Stored> index() {
      List<SinkFolder.Stored> out = new ArrayList<>();
      for (Message s : stored.values()) {
        out.add(
            new SinkFolder.Stored(
                s.uid(),
                new ContentKey(
                    MessageHeaders.parse(s.raw()).messageId(),
                    s.raw().length,
                    s.internalDate().getEpochSecond())));
      }
      return out;
    }

    @Override
    public String sha256(long uid) {
      Message s = stored.get(uid);
      return s == null ? null : s.sha256();
    }

    @Override
    public FlagFilter flagFilter() {
      return (flags, dropped) -> {
        Set<String> kept = new LinkedHashSet<>();
        for (String f : flags) {
          if (!f.startsWith("\\") || MessageFlags.SYSTEM.contains(f)) {
            kept.add(f);
          } else {
            dropped.add(f);
          }
        }
        return kept;
      };
    }

    @Override
    public Appended append(RawMessage message, Set<String> flags, Instant internalDate) {
      return append(null, message, flags, internalDate);
    }

    @Override
    public Appended append(
        MessageRef source, RawMessage message, Set<String> flags, Instant internalDate) {
      long uid = nextUid.merge(name, 1L, Long::sum);
      stored.put(
          uid,
          new Message(
              uid, bytes(message), message.sha256(), Set.copyOf(flags), internalDate, source));
      return new Appended(1L, uid);
    }

    @Override
    public int batchLimit() {
      return BATCH;
    }

    @Override
    public List<Appended> appendAll(List<Outgoing> messages) {
      List<Appended> out = new ArrayList<>();
      for (Outgoing m : messages) {
        out.add(append(m.source(), m.message(), m.flags(), m.internalDate()));
      }
      return out;
    }

    @Override
    public void refreshFlags(MessageRef source, Set<String> flags) {
      if (!followsFlagChanges) {
        SinkFolder.super.refreshFlags(source, flags); // refuses, as an IMAP destination does
      }
      for (Message s : List.copyOf(stored.values())) {
        MessageRef from = s.source();
        if (from != null
            && from.folder().equals(source.folder())
            && from.uidValidity() == source.uidValidity()
            && from.uid() == source.uid()) {
          stored.put(s.uid(), withFlags(s, flags));
        }
      }
    }

    /** As IMAP with UIDPLUS; the archive-like flavour, as an archive, addresses files instead. */
    @Override
    public boolean editsByUid() {
      return !followsFlagChanges;
    }

    private void requireEditsByUid() {
      if (!editsByUid()) {
        SinkFolder.super.uidValidity(); // refuses, as an archive does
      }
    }

    @Override
    public long uidValidity() {
      requireEditsByUid();
      return 1L; // as append says
    }

    @Override
    public Map<Long, Set<String>> flagsOf(Collection<Long> uids) {
      requireEditsByUid();
      Map<Long, Set<String>> flags = new HashMap<>();
      for (long uid : uids) {
        Message m = stored.get(uid);
        if (m != null) {
          flags.put(uid, m.flags());
        }
      }
      return flags;
    }

    @Override
    public void storeFlags(long uid, Set<String> add, Set<String> remove) {
      requireEditsByUid();
      Message m = stored.get(uid);
      if (m == null) {
        return;
      }
      Set<String> flags = new LinkedHashSet<>(m.flags());
      flags.addAll(flagFilter().keep(add, new HashSet<>()));
      flags.removeAll(remove);
      stored.put(uid, withFlags(m, flags));
    }

    @Override
    public void expunge(Collection<Long> uids) {
      requireEditsByUid();
      stored.keySet().removeAll(Set.copyOf(uids));
    }

    @Override
    public Map<Long, Long> moveTo(Collection<Long> uids, String serverName) {
      requireEditsByUid();
      TreeMap<Long, Message> target = existing(serverName);
      Map<Long, Long> moved = new HashMap<>();
      for (long uid : new TreeSet<>(uids)) {
        Message m = stored.remove(uid);
        if (m != null) {
          long newUid = nextUid.merge(serverName, 1L, Long::sum);
          target.put(
              newUid,
              new Message(newUid, m.raw(), m.sha256(), m.flags(), m.internalDate(), m.source()));
          moved.put(uid, newUid);
        }
      }
      return moved;
    }

    @Override
    public void close() {
      open--;
    }
  }

  private static Message withFlags(Message m, Set<String> flags) {
    return new Message(
        m.uid(), m.raw(), m.sha256(), Set.copyOf(flags), m.internalDate(), m.source());
  }

  private static byte[] bytes(RawMessage message) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      message.writeTo(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}

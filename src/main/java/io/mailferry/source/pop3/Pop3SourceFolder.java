package io.mailferry.source.pop3;

import io.mailferry.mail.FolderPath;
import io.mailferry.mail.MessageHeaders;
import io.mailferry.mail.MessageRef;
import io.mailferry.mail.Printable;
import io.mailferry.mail.RawMessage;
import io.mailferry.mail.StableUid;
import io.mailferry.source.SourceFolder;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongPredicate;

/**
 * A POP3 maildrop seen as one folder. POP3 has no UIDs, flags or dates, so:
 *
 * <ul>
 *   <li>a message's "UID" is a 63-bit hash of its UIDL (stable across sessions, unlike message
 *       numbers), or, on a server without UIDL, of its header section (of all its bytes when the
 *       server refuses TOP) and its rank among messages with the same one, together with its size
 *       (LIST); a message with none of these keys is not listed but failed, so it is never taken
 *       for one copied before, nor deleted. A server may give a new message the UIDL of one that is
 *       gone, and taking it for the old one would delete it uncopied (--delete-after-copy) or judge
 *       it by the old one's date (--delete-older-than);
 *   <li>the "UIDVALIDITY" names which of those key spaces is in use, so they never mix;
 *   <li>the order is the server's (oldest first), and "after UID n" means after that message;
 *   <li>the date is that of the newest Received: field, else Date:, else the time of the copy; when
 *       TOP fails, these are read from the message's own bytes at RETR.
 * </ul>
 */
final class Pop3SourceFolder implements SourceFolder {

  /*
   * Key spaces 1 (UIDL) and 2 (header hash) were those of versions that left the size out; their
   * ledger rows are stale now, so their messages are found at the destination by content once
   * (the DestinationMatcher), never copied twice.
   */
  static final long UIDL_KEYS = 3;
  static final long HEADER_HASH_KEYS = 4;

  /**
   * In key space 4, what marks the hash of a whole message (read by RETR) from that of a header
   * section.
   */
  private static final String WHOLE_MESSAGE = "whole ";

  /**
   * @param id the UIDL, or the hash of the header section or message: what names the message in a
   *     failure
   */
  private record Entry(int number, long size, long uid, String id) {}

  private record Described(String messageId, Instant date) {}

  private final Pop3Source source;
  private final Pop3Client client;
  private final Path spoolDir;
  private final long maxMessageSize;
  private List<Entry> entries;
  private final Map<Long, Entry> byUid = new HashMap<>();
  private final Map<Integer, Described> headersRead = new HashMap<>();
  private final List<SourceFolder.ListingNotes.Unlisted> unlisted = new ArrayList<>();
  private int held = -1;
  private long keySpace;
  private boolean failed;
  private boolean deletionsMarked;

  Pop3SourceFolder(Pop3Source source, Pop3Client client, Path spoolDir, long maxMessageSize) {
    this.source = source;
    this.client = client;
    this.spoolDir = spoolDir;
    this.maxMessageSize = maxMessageSize;
  }

  @Override
  public long uidValidity() {
    scan();
    return keySpace;
  }

  /** LIST and UIDL once per session: message numbers do not change until QUIT. */
  private void scan() {
    if (entries != null) {
      return;
    }
    guarded(
        () -> {
          Map<Integer, Long> sizes = client.list();
          Map<Integer, String> uidls = client.uidl();
          Map<Integer, String> keys = new HashMap<>();
          if (uidls != null && uidls.keySet().containsAll(sizes.keySet())) {
            keySpace = UIDL_KEYS;
            keys.putAll(uidls);
          } else {
            keySpace = HEADER_HASH_KEYS;
            source.warnNoUidl();
            keys.putAll(headerKeys(sizes));
          }
          Map<Integer, String> sized = new HashMap<>();
          keys.forEach(
              (n, key) -> sized.put(n, key + " " + sizes.get(n))); // a UIDL has no space (RFC 1939)
          Map<Integer, String> unique = ranked(sized);
          List<Entry> scanned = new ArrayList<>(sizes.size());
          for (var e : sizes.entrySet()) {
            if (!keys.containsKey(e.getKey())) {
              continue; // without a key: failed in the listing notes, never known, never deleted
            }
            Entry entry =
                new Entry(
                    e.getKey(), e.getValue(), uidOf(unique.get(e.getKey())), keys.get(e.getKey()));
            scanned.add(entry);
            byUid.put(entry.uid(), entry);
          }
          entries = scanned;
          held = sizes.size();
        });
  }

  /**
   * Without UIDL: the SHA-256 of each header section (ranked later, so that two identical messages
   * are still two messages). TOP is optional (RFC 1939): a message it is refused for is read whole
   * instead, in every session, and known by the SHA-256 of all its bytes. One that RETR is refused
   * for too has no key at all: were it keyed by its size alone, another message of that size in a
   * later session would count as copied, and be deleted uncopied.
   */
  private Map<Integer, String> headerKeys(Map<Integer, Long> sizes) {
    Map<Integer, String> keys = new HashMap<>();
    Map<Integer, String> noTop =
        client.headers(
            new ArrayList<>(sizes.keySet()),
            (n, body) -> {
              HeaderSection header = HeaderSection.read(body, sizes.get(n));
              headersRead.put(n, describe(header.kept()));
              keys.put(n, header.sha256());
            });
    if (noTop.isEmpty()) {
      return keys;
    }
    Map<Integer, String> noRetr =
        client.retrieve(
            new ArrayList<>(noTop.keySet()),
            (n, body) -> {
              HeaderSection whole = HeaderSection.readWhole(body, sizes.get(n));
              headersRead.put(n, describe(whole.kept()));
              keys.put(n, WHOLE_MESSAGE + whole.sha256());
            });
    noRetr.forEach(
        (n, status) ->
            unlisted.add(
                new SourceFolder.ListingNotes.Unlisted(
                    0,
                    "message "
                        + n
                        + " (the server has no UIDL): the server answered TOP with "
                        + quoted(noTop.get(n))
                        + " and RETR with "
                        + quoted(status)
                        + ", so it cannot be told from other messages in a later session: not copied,"
                        + " left on the server",
                    1)));
    return keys;
  }

  @Override
  public SourceFolder.ListingNotes listingNotes() {
    return new SourceFolder.ListingNotes(List.of(), List.copyOf(unlisted), held);
  }

  /**
   * Makes keys unique in server order: the second message with key k becomes "k#2", and so on.
   * Identical headers are two messages; so are two messages a faulty server gives one UIDL.
   */
  private static Map<Integer, String> ranked(Map<Integer, String> keys) {
    Map<Integer, String> unique = new TreeMap<>();
    Map<String, Integer> seen = new HashMap<>();
    new TreeMap<>(keys)
        .forEach(
            (n, key) -> {
              int rank = seen.merge(key, 1, Integer::sum);
              unique.put(n, rank == 1 ? key : key + "#" + rank);
            });
    return unique;
  }

  @Override
  public List<MessageRef> listAfter(long lastUid, LongPredicate alreadyCopied) {
    scan();
    int start = StableUid.indexAfter(entries, byUid, lastUid);
    List<Entry> after = entries.subList(start, entries.size());
    List<Integer> toDescribe = new ArrayList<>();
    for (Entry e : after) {
      if (!alreadyCopied.test(e.uid()) && !headersRead.containsKey(e.number())) {
        toDescribe.add(e.number());
      }
    }
    Map<Integer, Long> sizes = new HashMap<>();
    after.forEach(e -> sizes.put(e.number(), e.size()));
    guarded(
        () -> {
          // A message TOP is refused for stays undescribed: its date is read from its bytes at
          // RETR.
          client.headers(
              toDescribe,
              (n, body) ->
                  headersRead.put(n, describe(HeaderSection.read(body, sizes.get(n)).kept())));
        });
    List<MessageRef> refs = new ArrayList<>(after.size());
    for (Entry e : after) {
      // Not described: copied before (its ledger row keeps its date), or TOP refused (RETR tells).
      Described d = headersRead.getOrDefault(e.number(), new Described(null, now()));
      refs.add(
          new MessageRef(
              FolderPath.INBOX, keySpace, e.uid(), e.size(), d.date(), Set.of(), d.messageId()));
    }
    return refs;
  }

  @Override
  public void fetch(List<MessageRef> refs, BodyHandler handler) {
    Map<Integer, MessageRef> byNumber = new HashMap<>();
    List<Integer> numbers = new ArrayList<>();
    for (MessageRef ref : refs) {
      Entry e = byUid.get(ref.uid());
      if (e == null) {
        handler.accept(ref, null);
      } else {
        byNumber.put(e.number(), ref);
        numbers.add(e.number());
      }
    }
    guarded(
        () -> {
          Map<Integer, String> refused =
              client.retrieve(
                  numbers,
                  (n, body) -> {
                    MessageRef ref = byNumber.get(n);
                    Entry entry = byUid.get(ref.uid());
                    Pop3Body collector =
                        new Pop3Body(
                            entry.size(), MessageBound.of(entry.size(), maxMessageSize), spoolDir);
                    RawMessage raw;
                    try {
                      body.readBody(collector);
                      if (collector.refused()) {
                        collector.discard();
                        handler.unreadable(ref, named(entry) + ": " + collector.reason());
                        return;
                      }
                      raw = collector.finish();
                    } catch (IOException | RuntimeException e) {
                      collector.discard();
                      throw e;
                    }
                    try (raw) {
                      // TOP was refused: the date and Message-ID come from the message's own
                      // header.
                      Described d =
                          headersRead.containsKey(n)
                              ? new Described(ref.messageId(), ref.internalDate())
                              : describe(start(raw));
                      // The listed size is the server's count; the bytes we hold are what gets
                      // written.
                      handler.accept(
                          new MessageRef(
                              ref.folder(),
                              ref.uidValidity(),
                              ref.uid(),
                              raw.size(),
                              d.date(),
                              ref.flags(),
                              d.messageId()),
                          raw);
                    }
                  });
          // Within a session a message cannot vanish (RFC 1939), so -ERR is no proof that it is
          // gone:
          // a failed message, named, and left on the server (it has no ledger row, so it is never
          // deleted).
          refused.forEach(
              (n, status) ->
                  handler.unreadable(
                      byNumber.get(n),
                      named(byUid.get(byNumber.get(n).uid()))
                          + ": the server answered RETR with "
                          + quoted(status)
                          + ": not copied, left on the server"));
        });
  }

  /** How a failure names a message: its number in this session and its key. */
  private String named(Entry entry) {
    String key =
        keySpace == UIDL_KEYS
            ? "UIDL " + entry.id()
            : entry.id().startsWith(WHOLE_MESSAGE)
                ? "hash of its bytes " + entry.id().substring(WHOLE_MESSAGE.length())
                : "header hash " + entry.id();
    return "message " + entry.number() + " (" + Printable.escape(key) + ")";
  }

  private static String quoted(String serverWords) {
    return "\"" + Printable.escape(serverWords) + "\"";
  }

  /** The start of a message, where its header section is. */
  private static byte[] start(RawMessage raw) throws IOException {
    try (var in = raw.open()) {
      return in.readNBytes(HeaderSection.KEPT);
    }
  }

  @Override
  public List<String> warnings() {
    return keySpace == HEADER_HASH_KEYS
        ? List.of("the POP3 server has no UIDL: messages are told apart by a hash of their headers")
        : List.of();
  }

  @Override
  public int deleteOnClose(Collection<Long> uids) {
    if (failed) {
      return 0; // a broken session can delete nothing; the next run will
    }
    scan();
    List<Integer> numbers = new ArrayList<>();
    for (long uid : uids) {
      Entry e = byUid.get(uid);
      if (e != null) {
        numbers.add(e.number());
      }
    }
    guarded(
        () -> {
          client.delete(numbers); // effective at QUIT only: a session cut before it deletes nothing
        });
    deletionsMarked |= !numbers.isEmpty();
    return numbers.size();
  }

  /** Keeps a healthy session for reuse, or QUITs to commit deletions; hangs up after a failure. */
  @Override
  public void close() {
    source.release(!failed, deletionsMarked);
  }

  private Described describe(byte[] header) {
    MessageHeaders headers = MessageHeaders.parse(header);
    Instant date = headers.deliveryDate();
    return new Described(headers.messageId(), date != null ? date : now());
  }

  /** The time of the copy: the date of a message that names none. */
  private static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS);
  }

  /** A stable 63-bit, non-zero number for a key (0 means "from the start" to the reader). */
  static long uidOf(String key) {
    return StableUid.of(key);
  }

  /** The client closed a session that failed; it is not used again, and nothing is deleted. */
  private void guarded(Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      failed = true;
      throw e;
    }
  }
}

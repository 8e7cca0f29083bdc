package io.mailferry.sink;

import io.mailferry.mail.ContentKey;
import io.mailferry.mail.MessageRef;
import io.mailferry.mail.RawMessage;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** One open destination folder. Not thread-safe: one partition uses it. */
public interface SinkFolder extends AutoCloseable {

  /** What the folder already holds, to find copies made by another tool or a lost run. */
  List<Stored> index();

  /**
   * SHA-256 of a stored message as the destination now serves it: to settle a match that
   * Message-ID, size and date leave open, and to read back a message the destination may have
   * altered (see {@link #mayAlter}). Null when there is no message of that UID.
   */
  String sha256(long uid);

  /**
   * Whether this destination may store other bytes than it was given: an IMAP server may (Cyrus
   * rewrites raw 8-bit header bytes to 'X'), so a message at risk is read back after it is stored.
   * An archive writes the bytes itself.
   */
  default boolean mayAlter() {
    return false;
  }

  /** Keeps the flags this folder can store; the rest are returned in {@code dropped}. */
  FlagFilter flagFilter();

  /**
   * Stores the exact bytes with flags and INTERNALDATE.
   *
   * @throws MessageRefused when the server refuses this one message (the job goes on)
   */
  Appended append(RawMessage message, Set<String> flags, Instant internalDate);

  /**
   * As {@link #append(RawMessage, Set, Instant)}, knowing which source message it is: an archive
   * names its file after it, so a write that a crash left unrecorded is found again.
   */
  default Appended append(
      MessageRef source, RawMessage message, Set<String> flags, Instant internalDate) {
    return append(message, flags, internalDate);
  }

  /**
   * How many messages one {@link #appendAll} may carry; 1 (the default) when the destination stores
   * one message per command.
   */
  default int batchLimit() {
    return 1;
  }

  /**
   * Stores several messages in one command (MULTIAPPEND, RFC 3502): all of them or none.
   *
   * @return where each was stored, in order
   * @throws BatchRefused when the server refused the batch; nothing of it was stored, so the caller
   *     appends the messages one by one to learn which one is refused and why
   */
  default List<Appended> appendAll(List<Outgoing> messages) {
    throw new UnsupportedOperationException("this destination stores one message per command");
  }

  /** One message of a batch: its exact bytes, flags and INTERNALDATE. */
  record Outgoing(MessageRef source, RawMessage message, Set<String> flags, Instant internalDate) {}

  /** The server refused a whole batch: nothing of it was stored. */
  final class BatchRefused extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BatchRefused(String reason, Throwable cause) {
      super(reason, cause);
    }
  }

  /**
   * A message the ledger says is already here: brings its flags up to date (an archive renames its
   * file). Called only when the sink {@link MailSink#followsFlagChanges follows flag changes}.
   */
  default void refreshFlags(MessageRef source, Set<String> flags) {
    throw new UnsupportedOperationException("this destination does not follow flag changes");
  }

  /**
   * After a complete listing of the source folder: marks the messages no longer at the source (or,
   * mirroring, removes them). Called only when the sink {@link MailSink#followsRemovals follows
   * removals}; an archive does, marking them in its manifest. Only messages that came from {@code
   * sourceFolder} are considered: two source folders may share one destination folder, and an empty
   * one must not sweep the other's away.
   *
   * @param sourceFolder the source folder's '/'-written path, as the archive records it
   * @param mirror with --mirror, asked before anything is removed; null: only mark
   */
  default Sweep sweep(String sourceFolder, Collection<MessageRef> atSource, MirrorGuard mirror) {
    throw new UnsupportedOperationException("this destination does not follow removals");
  }

  /**
   * With --mirror, what may be removed at once (see --mirror-max-delete): a source that glitched
   * and listed a folder empty must not empty its copy.
   */
  @FunctionalInterface
  interface MirrorGuard {
    /**
     * @return why {@code lost} of the folder's {@code known} messages are not removed, or null to
     *     remove them
     */
    String refusal(long lost, long known);
  }

  /**
   * What a sweep did.
   *
   * @param marked messages newly marked as gone from the source
   * @param removed messages removed (--mirror)
   * @param held the guard's reason when it kept them all (they are marked instead), else null
   */
  record Sweep(int marked, int removed, String held) {}

  /**
   * Whether this folder can address what it holds by destination UID: read and change the flags of
   * a message it stored earlier, move it to another folder and expunge it, touching nothing else
   * (IMAP with UIDPLUS, RFC 4315). The flag merge, moves and expunges of a re-run (issue 19) need
   * it; without it a re-run leaves earlier copies as they are and says so.
   */
  default boolean editsByUid() {
    return false;
  }

  /** The folder's UIDVALIDITY now: a UID the ledger recorded under another one names nothing. */
  default long uidValidity() {
    throw new UnsupportedOperationException("this destination does not address messages by UID");
  }

  /**
   * The flags (system flags with their backslash, keywords as they are; never \Recent) of the
   * messages of these UIDs, read now. A UID that is not in the folder any more is not in the map.
   */
  default Map<Long, Set<String>> flagsOf(Collection<Long> uids) {
    throw new UnsupportedOperationException("this destination does not address messages by UID");
  }

  /**
   * Adds and removes flags of one message (UID STORE +FLAGS.SILENT / -FLAGS.SILENT), leaving its
   * other flags as they are. A UID no longer in the folder is no error.
   */
  default void storeFlags(long uid, Set<String> add, Set<String> remove) {
    throw new UnsupportedOperationException("this destination does not address messages by UID");
  }

  /**
   * Removes these messages from the folder and only these (UID STORE +FLAGS.SILENT (\Deleted), then
   * UID EXPUNGE of the same UIDs, RFC 4315): another message flagged \Deleted by the user stays.
   * UIDs no longer in the folder are no error.
   */
  default void expunge(Collection<Long> uids) {
    throw new UnsupportedOperationException("this destination does not address messages by UID");
  }

  /**
   * Moves these messages into another folder of the same destination, with their flags (UID MOVE,
   * RFC 6851; without MOVE: UID COPY, then the originals expunged as in {@link #expunge}).
   *
   * @param serverName the other folder, as {@link MailSink#open} takes it; it exists
   * @return for each UID moved, its UID in the other folder (COPYUID), or null where the server did
   *     not say; a UID no longer in this folder is not in the map
   */
  default Map<Long, Long> moveTo(Collection<Long> uids, String serverName) {
    throw new UnsupportedOperationException("this destination does not address messages by UID");
  }

  @Override
  void close();

  record Stored(long uid, ContentKey key) {}

  /**
   * @param uidValidity and {@code uid} are null when the server lacks UIDPLUS (RFC 4315)
   */
  record Appended(Long uidValidity, Long uid) {}

  interface FlagFilter {
    /** Returns the flags that can be stored; adds the others to {@code dropped}. */
    Set<String> keep(Set<String> flags, Set<String> dropped);
  }

  /** The destination refused one message; the reason is the server's own words. */
  final class MessageRefused extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MessageRefused(String reason, Throwable cause) {
      super(reason, cause);
    }
  }
}

package io.mailferry.source;

import io.mailferry.mail.MailferryException;
import io.mailferry.mail.MessageRef;
import io.mailferry.mail.RawMessage;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.LongPredicate;

/** One open source folder. Not thread-safe: one partition uses it. */
public interface SourceFolder extends AutoCloseable {

  long uidValidity();

  /**
   * Every message after the one with UID {@code lastUid} (0: from the first), in the source's
   * order, without their bytes. A message for which {@code alreadyCopied} holds may be described by
   * its UID and size only: a source that pays per message to describe one (POP3 reads its header)
   * skips that work for messages the job will drop anyway.
   */
  List<MessageRef> listAfter(long lastUid, LongPredicate alreadyCopied);

  /**
   * A re-run's cheap listing (CONDSTORE, RFC 7162): the messages whose flags changed since the
   * folder's HIGHESTMODSEQ was {@code modSeq}, and every message that came since, in UID order and
   * described as {@link #listAfter} describes them. The folder's other messages are as they were
   * then, or gone. {@link #listingNotes} then holds the folder's message count as {@code held}.
   *
   * @return null when this source cannot say: then it is listed whole
   */
  default List<MessageRef> listChangedSince(long modSeq) {
    return null;
  }

  /**
   * Which of these UIDs the folder still holds, asked without listing the messages.
   *
   * @return null when this source cannot say
   */
  default Set<Long> stillHeld(Collection<Long> uids) {
    return null;
  }

  /**
   * Reads the exact bytes of each message and hands them to {@code handler} in order; the handler
   * owns the RawMessage only during the call. A message gone from the source is handed over as
   * null.
   */
  void fetch(List<MessageRef> refs, BodyHandler handler);

  @FunctionalInterface
  interface BodyHandler {
    void accept(MessageRef ref, RawMessage body);

    /**
     * The source still holds the message but its bytes could not be read (the server's answer broke
     * the protocol): a failed message, never one "gone from the source". A handler that cannot
     * count failures stops the run with exit 76 rather than lose the message in silence.
     */
    default void unreadable(MessageRef ref, String reason) {
      throw new MailferryException.ProtocolViolation(
          "UID " + ref.uid() + " in " + ref.folder() + " could not be read: " + reason, null);
    }
  }

  /**
   * What the last {@link #listAfter} found wrong, message by message: warnings about messages it
   * listed all the same (a date it had to replace, a flag it dropped), and messages the source
   * holds that it could not list at all. Empty for a source whose listing cannot go wrong.
   */
  default ListingNotes listingNotes() {
    return ListingNotes.NONE;
  }

  /**
   * @param warnings texts for the tally, one per message and kind (counted there)
   * @param unlisted failures: UID (0 when the source did not say which), reason and how many
   *     messages the one reason stands for
   * @param held how many messages the source said it holds (its EXISTS) at a listing from the first
   *     message; -1 when not known
   */
  record ListingNotes(List<String> warnings, List<Unlisted> unlisted, long held) {
    public static final ListingNotes NONE = new ListingNotes(List.of(), List.of(), -1);

    public record Unlisted(long uid, String reason, long count) {}
  }

  /**
   * What the user should know about how this folder is read (once per run), e.g. a POP3 server
   * without UIDL.
   */
  default List<String> warnings() {
    return List.of();
  }

  /**
   * Marks messages for deletion; they are deleted when the folder is closed after a clean end. Only
   * a POP3 source can: there, deletions take effect at QUIT (RFC 1939).
   *
   * @return how many of them were at the source and are now marked
   */
  default int deleteOnClose(Collection<Long> uids) {
    throw new UnsupportedOperationException("this source never deletes messages");
  }

  @Override
  void close();
}

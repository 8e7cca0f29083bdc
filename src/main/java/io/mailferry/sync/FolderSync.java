package io.mailferry.sync;

import io.mailferry.ledger.LedgerEntry;
import io.mailferry.mail.MessageRef;
import io.mailferry.mail.RawMessage;
import java.util.function.LongFunction;
import java.util.function.Supplier;

/**
 * The per-folder decisions, as plain code: given what the ledger knows, the destination's limits
 * and capabilities and its index (through the {@link DestinationMatcher}), whether each source
 * message is copied, already there, or skipped and why. It sends nothing and counts nothing; the
 * Spring Batch step carries the decisions out. Not thread-safe: one partition owns it.
 *
 * <p>Each input is asked for only when a decision needs it, and every time: a re-run that finds
 * everything in the ledger never asks for the destination's limit nor opens its folder, and a
 * matcher rebuilt after a broken connection is the one used from then on.
 */
public final class FolderSync {

  static final String DELETED = "flagged \\Deleted (use --include-deleted)";

  /**
   * What the run was asked to do and what the destination can.
   *
   * @param includeDeleted --include-deleted: copy messages flagged \Deleted too
   */
  public record Rules(boolean includeDeleted, FlagSync flagSync) {}

  /** How a re-run treats the flags of messages copied earlier. */
  public enum FlagSync {
    /** Left as they are (--no-flag-sync, or a destination that cannot change them). */
    NONE,
    /**
     * The destination takes the source's flags as they are now (an archive: nobody works there).
     */
    REFRESH,
    /** The three-way merge of {@link FlagMerge} (an IMAP destination, where its user may work). */
    MERGE
  }

  private final Rules rules;
  private final LongFunction<LedgerEntry> inLedger;
  private final Supplier<Long> appendLimit;
  private final Supplier<DestinationMatcher> matcher;

  /**
   * @param inLedger what the ledger has of the source UID (under the folder's UIDVALIDITY now), or
   *     null
   * @param appendLimit the largest message the destination folder accepts, or null: no limit known
   * @param matcher the destination folder's index against the ledger's claims
   */
  public FolderSync(
      Rules rules,
      LongFunction<LedgerEntry> inLedger,
      Supplier<Long> appendLimit,
      Supplier<DestinationMatcher> matcher) {
    this.rules = rules;
    this.inLedger = inLedger;
    this.appendLimit = appendLimit;
    this.matcher = matcher;
  }

  /**
   * What the listing alone decides, before the destination folder is opened: skipped (\Deleted, too
   * large), already known to the ledger (its flags changed at the source or not), or a candidate to
   * copy ({@link Decision#COPY}); the destination may still hold it (see {@link
   * #atDestination(MessageRef)}).
   */
  public Decision decide(MessageRef ref) {
    if (ref.isDeleted() && !rules.includeDeleted()) {
      return new Decision.Skip(Decision.Why.DELETED, DELETED);
    }
    LedgerEntry known = inLedger.apply(ref.uid());
    if (known != null) {
      return switch (rules.flagSync()) {
        case NONE -> new Decision.AlreadyKnown(false);
        case REFRESH -> new Decision.AlreadyKnown(true); // a nightly backup follows flag changes
        case MERGE ->
            FlagMerge.unchanged(ref.flags(), known.destFlags())
                ? new Decision.AlreadyKnown(false)
                : new Decision.FlagsChanged(
                    known.destUid(), known.destUidValidity(), known.destFlags());
      };
    }
    Long limit = appendLimit.get();
    if (limit != null && ref.size() > limit) {
      return new Decision.Skip(Decision.Why.TOO_LARGE, tooLarge(limit));
    }
    return Decision.COPY;
  }

  /**
   * For a message to copy, whether the destination already holds it, where that needs no bytes: a
   * unique Message-ID, size and date. Claims the destination message found.
   */
  public Decision atDestination(MessageRef ref) {
    Long found = matcher.get().matchByKey(ref);
    return found != null ? new Decision.Matched(found) : Decision.COPY;
  }

  /**
   * With its bytes: whether a destination message of the same key is this one (SHA-256). Exact
   * duplicates at the source are each copied: a destination message matches one of them only.
   */
  public Decision atDestination(MessageRef ref, RawMessage raw) {
    DestinationMatcher m = matcher.get();
    if (!m.hasCandidates(ref)) {
      return Decision.COPY; // no SHA-256 asked of anyone
    }
    Long found = m.matchBySha(ref, raw.sha256());
    return found != null ? new Decision.Matched(found) : Decision.COPY;
  }

  public static String tooLarge(long appendLimit) {
    return "larger than the destination accepts (APPENDLIMIT " + appendLimit + " bytes)";
  }
}

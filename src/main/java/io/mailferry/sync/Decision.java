package io.mailferry.sync;

import java.util.Set;

/**
 * What {@link FolderSync} decided for one source message. The caller carries it out: appends,
 * counts, writes the ledger row, refreshes flags.
 */
public sealed interface Decision {

  /** Not at the destination as far as anyone knows: fetch its bytes and append it. */
  record Copy() implements Decision {}

  /**
   * The ledger has it from an earlier run: nothing to send.
   *
   * @param refreshFlags the destination follows the source's flag changes: bring its flags up to
   *     date
   */
  record AlreadyKnown(boolean refreshFlags) implements Decision {}

  /**
   * The ledger has it from an earlier run, and its flags at the source are not what mailferry last
   * wrote at the destination: a flag merge decides what the destination gets (see {@link
   * FlagMerge}, carried out by {@link FlagUpdates}).
   *
   * @param destUid where it was stored; null when the destination gave no UID (no UIDPLUS)
   * @param destUidValidity the destination folder's UIDVALIDITY then; null when not known
   * @param lastWritten the flags mailferry last wrote there; null when not known
   */
  record FlagsChanged(Long destUid, Long destUidValidity, Set<String> lastWritten)
      implements Decision {}

  /** Not copied, for a reason the user reads in the summary. */
  record Skip(Why why, String reason) implements Decision {}

  /** Already at the destination, though the ledger does not say so: record it, send nothing. */
  record Matched(long destUid) implements Decision {}

  /** Why a message is skipped. */
  enum Why {
    /** Flagged \Deleted at the source, and --include-deleted was not given. */
    DELETED,
    /** Larger than the destination accepts (its APPENDLIMIT, or --max-message-size). */
    TOO_LARGE
  }

  Decision COPY = new Copy();
}

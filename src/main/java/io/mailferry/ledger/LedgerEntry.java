package io.mailferry.ledger;

import io.mailferry.mail.ContentKey;
import java.util.Set;

/**
 * One source message known to be at the destination.
 *
 * @param destUid null when the destination lacks UIDPLUS
 * @param sha256 null when the message was matched by Message-ID, size and date without fetching
 * @param destFlags the source's flags (system flags and keywords, never \Deleted or \Recent) as the
 *     destination last followed them: the base of a re-run's three-way flag merge; null when not
 *     known
 */
public record LedgerEntry(
    String sourceAccount,
    String destAccount,
    String sourceFolder,
    long sourceUidValidity,
    long sourceUid,
    String destFolder,
    Long destUidValidity,
    Long destUid,
    String sha256,
    ContentKey key,
    Outcome outcome,
    Set<String> destFlags) {

  public LedgerEntry {
    destFlags = destFlags == null ? null : Set.copyOf(destFlags);
  }

  public enum Outcome {
    /** mailferry appended it. */
    COPIED,
    /** It was already at the destination (another tool, or a run whose state was lost). */
    FOUND
  }
}

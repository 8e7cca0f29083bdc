package io.mailferry.job;

import io.mailferry.report.FolderTally;
import java.util.Set;

/**
 * The promise of exit 0, checked at the end of each folder (issue 16): what the source listed, what
 * the ledger holds and what the summary says agree. Each message this run listed is counted exactly
 * once in the summary (copied, already there, skipped or failed); each one counted as copied or
 * already there has its ledger row; and a folder listed from its first message accounts for every
 * message the source said it holds. A disagreement is a failure with its reason, never silence.
 */
final class FolderPromise {

  /** The summary's counts of one folder at one moment. */
  record Counts(long copied, long alreadyThere, long skipped, long failed) {
    static Counts of(FolderTally t) {
      return new Counts(t.copied, t.alreadyThere, t.totalSkipped(), t.failedCount);
    }

    long accounted() {
      return copied + alreadyThere + skipped + failed;
    }

    long stored() {
      return copied + alreadyThere;
    }
  }

  private final Counts atListing;
  private final Set<Long> listedUids;
  private final long unlisted;
  private final boolean fromFirst;

  /**
   * @param atListing the counts just before this run's listing was counted
   * @param listedUids the UIDs the listing handed over
   * @param unlisted messages the source holds that it could not list (already counted as failed)
   * @param fromFirst the listing started at the folder's first message
   */
  FolderPromise(Counts atListing, Set<Long> listedUids, long unlisted, boolean fromFirst) {
    this.atListing = atListing;
    this.listedUids = Set.copyOf(listedUids);
    this.unlisted = unlisted;
    this.fromFirst = fromFirst;
  }

  Set<Long> listedUids() {
    return listedUids;
  }

  /**
   * @param inLedger which of {@link #listedUids} the ledger holds now
   * @return null when all agree, else the disagreement in words
   */
  String disagreement(FolderTally now, Set<Long> inLedger) {
    Counts end = Counts.of(now);
    long listed = listedUids.size() + unlisted;
    long counted = end.accounted() - atListing.accounted();
    if (counted != listed) {
      return "the source listed " + listed + " messages but the summary accounts for " + counted;
    }
    long stored = end.stored() - atListing.stored();
    long recorded = listedUids.stream().filter(inLedger::contains).count();
    if (recorded != stored) {
      return "the summary counts "
          + stored
          + " messages as copied or already there but the ledger holds "
          + recorded
          + " of them";
    }
    if (fromFirst && end.accounted() != now.atSource) {
      return "the source holds "
          + now.atSource
          + " messages but the summary accounts for "
          + end.accounted();
    }
    return null;
  }
}

package io.mailferry.job;

/**
 * What a start does with the last run of the same pair: a completed one is followed by a new run
 * (the ledger makes it copy only what is new); a failed or stopped one is continued from its
 * checkpoints, unless the user changed an option since (a trusted certificate, a folder selection),
 * which a restart would ignore: that one is abandoned and a new run starts.
 */
enum RestartDecision {
  /** No run of this pair yet. */
  FIRST,
  /** The last one completed (or was abandoned): a new run. */
  NEXT,
  /** The last one failed or was stopped, with the same options: continue it. */
  RESTART,
  /** The last one failed or was stopped, with other options: abandon it, then a new run. */
  ABANDON_AND_NEXT;

  /**
   * @param last the state of the last run (after crash recovery), or null for none
   * @param sameOptions whether this start's options are those the last run was started with
   */
  static RestartDecision of(RunState last, boolean sameOptions) {
    if (last == null) {
      return FIRST;
    }
    if (last == RunState.FAILED || last == RunState.STOPPED) {
      return sameOptions ? RESTART : ABANDON_AND_NEXT;
    }
    return NEXT;
  }
}

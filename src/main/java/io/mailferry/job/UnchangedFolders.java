package io.mailferry.job;

import io.mailferry.ledger.Ledger;
import io.mailferry.mail.FolderStatus;
import io.mailferry.mail.MailferryException;
import io.mailferry.sync.FolderSync;
import io.mailferry.sync.UnchangedFolder;

/**
 * The quick re-run's questions: the source folder's STATUS and what the ledger remembers of its
 * last complete copy. Whether that makes the folder unchanged is {@link UnchangedFolder}'s
 * decision.
 */
final class UnchangedFolders {

  private UnchangedFolders() {}

  /**
   * The source folder's STATUS now, or null when the source cannot say (or the question failed).
   */
  static FolderStatus status(MigrationRuntime runtime, FolderPlan plan) {
    if (!plan.selectable()
        || runtime.settings().sourceDeletion().enabled()
        || (runtime.settings().mirror() && runtime.sink().followsRemovals())) {
      // Deletions at the source are decided while the folder is open; an archive's --mirror may
      // have messages to remove that an earlier run without it only marked. (Into IMAP, the
      // mirror step before the copy compares the ledger with the source itself.)
      return null;
    }
    FolderStatus asked = runtime.takeStatus(plan.source());
    if (asked != null) {
      return asked; // by the quota step, before anything was listed: as good a "before" as now
    }
    try {
      return runtime.source().status(plan.source());
    } catch (MailferryException e) {
      return null; // the listing that follows meets the same trouble and says what it is
    }
  }

  /** What the ledger remembers of the folder's last complete copy, or null. */
  static Ledger.CompleteFolder lastComplete(MigrationRuntime runtime, FolderPlan plan) {
    return runtime
        .ledger()
        .completeFolder(runtime.sourceAccount(), runtime.destAccount(), plan.ledgerKey());
  }

  /** What the ledger remembers of the folder when it is unchanged since then; otherwise null. */
  static Ledger.CompleteFolder unchanged(
      MigrationRuntime runtime, FolderPlan plan, FolderStatus now) {
    if (now == null) {
      return null;
    }
    Ledger.CompleteFolder then = lastComplete(runtime, plan);
    return then != null
            && UnchangedFolder.since(
                now, then.status(), FolderSession.flagSync(runtime) != FolderSync.FlagSync.NONE)
        ? then
        : null;
  }
}

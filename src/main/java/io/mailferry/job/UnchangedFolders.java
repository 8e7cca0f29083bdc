package io.mailferry.job;

import io.mailferry.ledger.Ledger;
import io.mailferry.mail.FolderStatus;
import io.mailferry.mail.MailferryException;

/**
 * The quick re-run: a source folder whose STATUS is what it was when a run last copied all of it
 * holds the same messages, all in the ledger, so it needs no listing (a nightly run over an
 * unchanged mailbox asks one STATUS per folder). A destination that follows flag changes (an
 * archive) needs HIGHESTMODSEQ to match too, and without CONDSTORE the folder is always listed.
 */
final class UnchangedFolders {

  private UnchangedFolders() {}

  /** The source folder's STATUS now, or null when the source cannot say (or the question failed). */
  static FolderStatus status(MigrationRuntime runtime, FolderPlan plan) {
    if (!plan.selectable() || runtime.settings().sourceDeletion().enabled() || runtime.settings().mirror()) {
      // Deletions at the source are decided while the folder is open; --mirror may have archived
      // messages to remove that an earlier run without it only marked.
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

  /** What the ledger remembers of the folder when it is unchanged since then; otherwise null. */
  static Ledger.CompleteFolder unchanged(MigrationRuntime runtime, FolderPlan plan, FolderStatus now) {
    if (now == null) {
      return null;
    }
    Ledger.CompleteFolder then = runtime.ledger().completeFolder(runtime.sourceAccount(), runtime.destAccount(),
        plan.ledgerKey());
    return then != null && same(now, then.status(), runtime.sink().followsFlagChanges()) ? then : null;
  }

  static boolean same(FolderStatus now, FolderStatus then, boolean flagsMatter) {
    boolean sameMessages = now.uidValidity() == then.uidValidity() && now.uidNext() == then.uidNext()
        && now.messages() == then.messages();
    if (!flagsMatter) {
      return sameMessages;
    }
    return sameMessages && now.highestModSeq() != null && now.highestModSeq().equals(then.highestModSeq());
  }
}

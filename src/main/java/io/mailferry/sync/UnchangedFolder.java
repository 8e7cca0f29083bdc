package io.mailferry.sync;

import io.mailferry.mail.FolderStatus;

/**
 * The quick re-run's decision: a source folder whose STATUS is what it was when a run last copied
 * all of it holds the same messages, all in the ledger, so it needs no listing (a nightly run over
 * an unchanged mailbox asks one STATUS per folder). A destination that follows flag changes (an
 * archive) needs HIGHESTMODSEQ to match too, and without CONDSTORE the folder is always listed.
 * Plain values in, a yes or no out: asking the source and the ledger is the caller's.
 */
public final class UnchangedFolder {

  private UnchangedFolder() {}

  /**
   * @param now the source folder's STATUS now, or null when the source cannot say
   * @param recorded the STATUS the ledger remembers from the last complete copy, or null: none
   * @param flagsMatter the destination follows flag changes
   */
  public static boolean since(FolderStatus now, FolderStatus recorded, boolean flagsMatter) {
    return now != null && recorded != null && same(now, recorded, flagsMatter);
  }

  public static boolean same(FolderStatus now, FolderStatus then, boolean flagsMatter) {
    boolean sameMessages =
        now.uidValidity() == then.uidValidity()
            && now.uidNext() == then.uidNext()
            && now.messages() == then.messages();
    if (!flagsMatter) {
      return sameMessages;
    }
    return sameMessages
        && now.highestModSeq() != null
        && now.highestModSeq().equals(then.highestModSeq());
  }
}

package io.mailferry.job;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ledger rows written before issue 16.2 name their source folder by its '/'-written path ("Sent");
 * rows now name it as the server does ("INBOX.Sent", see {@link FolderPlan#ledgerKey()}). A Flyway
 * migration cannot convert them: the job store does not know each server's prefix and separator. So
 * the plan step, which knows them, moves an old folder's rows to the new key before anything is
 * copied, and a re-run of an old job does not copy everything again.
 *
 * <p>Only where the old key names one planned folder: when two folders of this plan share a
 * '/'-written path (the very collision the new key removes), nobody can tell whose the old rows
 * were; they stay, and both folders are matched against the destination's contents instead.
 */
final class LedgerKeys {

  private static final Logger log = LoggerFactory.getLogger(LedgerKeys.class);

  private LedgerKeys() {}

  static void adopt(MigrationRuntime runtime, List<FolderPlan> plan) {
    Map<String, Integer> byLabel = new HashMap<>();
    for (FolderPlan folder : plan) {
      byLabel.merge(folder.sourceLabel(), 1, Integer::sum);
      byLabel.merge(folder.ledgerKey(), 1, Integer::sum);
    }
    for (FolderPlan folder : plan) {
      String old = folder.sourceLabel();
      if (old.equals(folder.ledgerKey()) || byLabel.get(old) > 1) {
        continue;
      }
      int moved =
          runtime
              .ledger()
              .renameSourceFolder(
                  runtime.sourceAccount(), runtime.destAccount(), old, folder.ledgerKey());
      if (moved > 0) {
        log.info("ledger: {} rows of {} now keyed by the server's name", moved, folder.ledgerKey());
      }
    }
  }
}

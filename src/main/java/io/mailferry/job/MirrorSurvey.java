package io.mailferry.job;

import io.mailferry.ledger.LedgerEntry;
import io.mailferry.mail.MessageRef;
import io.mailferry.net.ServerRefusal;
import io.mailferry.source.SourceFolder;
import io.mailferry.sync.MirrorPlan;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The --mirror pass's look at the source: one full listing per folder, against the ledger. */
final class MirrorSurvey {

  private MirrorSurvey() {}

  /**
   * What each selectable source folder holds now against what the ledger has of it: the input of
   * {@link MirrorPlan#decide}. Reads the source and the ledger only.
   */
  static List<MirrorPlan.Folder> of(MigrationRuntime runtime, Collection<FolderPlan> plan) {
    List<MirrorPlan.Folder> seen = new ArrayList<>();
    for (FolderPlan f : plan) {
      if (!f.selectable() || f.refusal() != null) {
        continue;
      }
      try (SourceFolder source = runtime.source().open(f.source())) {
        Map<Long, LedgerEntry> known =
            runtime
                .ledger()
                .entriesFrom(
                    runtime.sourceAccount(),
                    runtime.destAccount(),
                    f.ledgerKey(),
                    source.uidValidity());
        List<MessageRef> listed = source.listAfter(0, known::containsKey);
        SourceFolder.ListingNotes notes = source.listingNotes();
        // What an incomplete listing missed is not gone (issue 16.4).
        boolean complete = notes.unlisted().isEmpty() && listed.size() >= notes.held();
        Set<Long> uids = new HashSet<>();
        List<MessageRef> fresh = new ArrayList<>();
        for (MessageRef ref : listed) {
          uids.add(ref.uid());
          if (!known.containsKey(ref.uid())) {
            fresh.add(ref);
          }
        }
        List<LedgerEntry> gone = new ArrayList<>();
        if (complete) {
          for (LedgerEntry e : known.values()) {
            // Only copies in this folder's destination now: a changed --folder-map is not a loss.
            if (!uids.contains(e.sourceUid()) && e.destFolder().equals(f.destLabel())) {
              gone.add(e);
            }
          }
        }
        seen.add(new MirrorPlan.Folder(f.ledgerKey(), known.size(), gone, fresh));
      } catch (RuntimeException e) {
        if (ServerRefusal.words(e) == null) {
          throw e;
        }
        // The source refuses this folder: its copy step fails it alone, and says why.
      }
    }
    return seen;
  }
}

package io.mailferry.job;

import io.mailferry.ledger.Ledger;
import io.mailferry.ledger.LedgerEntry;
import io.mailferry.mail.FolderStatus;
import io.mailferry.mail.MailferryException;
import io.mailferry.mail.MessageRef;
import io.mailferry.net.ServerRefusal;
import io.mailferry.source.SourceFolder;
import io.mailferry.sync.ChangedSince;
import io.mailferry.sync.MirrorPlan;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The --mirror pass's look at the source, against the ledger: what changed since the last complete
 * listing where the source offers CONDSTORE, else a whole listing per folder.
 */
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
      // Asked before the folder is opened: with one connection allowed, STATUS needs it too.
      FolderStatus now = status(runtime, f);
      try (SourceFolder source = runtime.source().open(f.source())) {
        Map<Long, LedgerEntry> known =
            runtime
                .ledger()
                .entriesFrom(
                    runtime.sourceAccount(),
                    runtime.destAccount(),
                    f.ledgerKey(),
                    source.uidValidity());
        Look look = changesOnly(runtime, f, now, source, known);
        if (look == null) {
          look = whole(source, known);
        }
        List<LedgerEntry> gone = new ArrayList<>();
        if (look.complete()) {
          for (LedgerEntry e : known.values()) {
            // Only copies in this folder's destination now: a changed --folder-map is not a loss.
            if (!look.held().contains(e.sourceUid()) && e.destFolder().equals(f.destLabel())) {
              gone.add(e);
            }
          }
        }
        seen.add(new MirrorPlan.Folder(f.ledgerKey(), known.size(), gone, look.fresh()));
      } catch (RuntimeException e) {
        if (ServerRefusal.words(e) == null) {
          throw e;
        }
        // The source refuses this folder: its copy step fails it alone, and says why.
      }
    }
    return seen;
  }

  /**
   * What the survey saw of one folder.
   *
   * @param held which of the ledger's messages the folder still holds
   * @param fresh its messages the ledger does not know
   * @param complete every message was accounted for (what an incomplete listing missed is not gone,
   *     issue 16.4)
   */
  private record Look(Set<Long> held, List<MessageRef> fresh, boolean complete) {}

  /** The listed messages, sorted into those the ledger knows (by UID) and the fresh ones. */
  private static Look sorted(List<MessageRef> listed, Map<Long, LedgerEntry> known) {
    Set<Long> held = new HashSet<>();
    List<MessageRef> fresh = new ArrayList<>();
    for (MessageRef ref : listed) {
      if (known.containsKey(ref.uid())) {
        held.add(ref.uid());
      } else {
        fresh.add(ref);
      }
    }
    return new Look(held, fresh, true);
  }

  private static Look whole(SourceFolder source, Map<Long, LedgerEntry> known) {
    List<MessageRef> listed = source.listAfter(0, known::containsKey);
    SourceFolder.ListingNotes notes = source.listingNotes();
    Look seen = sorted(listed, known);
    return new Look(
        seen.held(), seen.fresh(), notes.unlisted().isEmpty() && listed.size() >= notes.held());
  }

  /**
   * With CONDSTORE and the folder's last complete listing in the ledger: only what changed since is
   * listed, the count of what is gone comes from the folder's size, and only when some are gone a
   * UID SEARCH says which (see {@link ChangedSince}). Null when that cannot be done or does not add
   * up: then the folder is listed whole.
   */
  private static Look changesOnly(
      MigrationRuntime runtime,
      FolderPlan f,
      FolderStatus now,
      SourceFolder source,
      Map<Long, LedgerEntry> known) {
    Ledger.CompleteFolder then = UnchangedFolders.lastComplete(runtime, f);
    if (then == null
        || !ChangedSince.usable(now, then.status())
        || now.uidValidity() != source.uidValidity()) {
      return null;
    }
    List<MessageRef> listed = source.listChangedSince(then.status().highestModSeq());
    if (listed == null || !source.listingNotes().unlisted().isEmpty()) {
      return null;
    }
    long exists = source.listingNotes().held();
    Look seen = sorted(listed, known);
    Set<Long> held = seen.held();
    List<MessageRef> fresh = seen.fresh();
    long gone = ChangedSince.goneOfKnown(known.size(), exists, fresh.size());
    Set<Long> notListed = new HashSet<>(known.keySet());
    notListed.removeAll(held);
    if (gone == 0) {
      held.addAll(notListed);
      return new Look(held, fresh, true);
    }
    Set<Long> stillHeld = gone > 0 ? source.stillHeld(notListed) : null;
    if (stillHeld == null || notListed.size() - stillHeld.size() != gone) {
      return null;
    }
    held.addAll(stillHeld);
    return new Look(held, fresh, true);
  }

  private static FolderStatus status(MigrationRuntime runtime, FolderPlan f) {
    try {
      return runtime.source().status(f.source());
    } catch (MailferryException e) {
      return null; // the folder is listed whole, and its trouble shows there
    }
  }
}

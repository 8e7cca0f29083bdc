package io.mailferry.job;

import io.mailferry.ledger.LedgerEntry;
import io.mailferry.mail.FolderStatus;
import io.mailferry.mail.MessageRef;
import io.mailferry.net.ServerRefusal;
import io.mailferry.quota.ToWrite;
import io.mailferry.sync.FlagMerge;
import io.mailferry.sync.FolderSync;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a run still has to write, folder by folder: the source's messages (UID, RFC822.SIZE, flags)
 * less what the ledger has, what the filters drop (\Deleted unless asked) and what the destination
 * would not accept (above its APPENDLIMIT). The same rules as the copy step's. Reads the source and
 * the ledger only.
 */
public record PendingWork(List<Folder> folders) {

  /**
   * @param flagChanges messages copied earlier whose flags changed at the source since: a re-run
   *     merges them into the destination's (issue 19)
   */
  public record Folder(
      FolderPlan plan,
      long messages,
      long bytes,
      long tooLarge,
      long tooLargeBytes,
      Long appendLimit,
      long flagChanges)
      implements ToWrite {

    @Override
    public String destination() {
      return plan.destName();
    }
  }

  public static PendingWork of(MigrationRuntime runtime, List<FolderPlan> plan) {
    List<Folder> folders = new ArrayList<>();
    for (FolderPlan folder : plan) {
      if (!folder.selectable()) {
        folders.add(new Folder(folder, 0, 0, 0, 0, null, 0));
        continue;
      }
      Long limit = runtime.appendLimit(folder.destName());
      FolderStatus status = UnchangedFolders.status(runtime, folder);
      runtime.keepStatus(folder.source(), status); // the folder's partition asks no second time
      if (UnchangedFolders.unchanged(runtime, folder, status) != null) {
        folders.add(
            new Folder(folder, 0, 0, 0, 0, limit, 0)); // all of it is in the ledger, nothing new
        continue;
      }
      long messages = 0;
      long bytes = 0;
      long tooLarge = 0;
      long tooLargeBytes = 0;
      long flagChanges = 0;
      boolean flagsFollow = FolderSession.flagSync(runtime) != FolderSync.FlagSync.NONE;
      if (folder.refusal() != null) {
        folders.add(
            new Folder(folder, 0, 0, 0, 0, null, 0)); // failed alone, nothing will be written
        continue;
      }
      try (var source = runtime.source().open(folder.source())) {
        Map<Long, LedgerEntry> known =
            runtime
                .ledger()
                .entriesFrom(
                    runtime.sourceAccount(),
                    runtime.destAccount(),
                    folder.ledgerKey(),
                    source.uidValidity());
        for (MessageRef ref : source.listAfter(0, known::containsKey)) {
          if (ref.isDeleted() && !runtime.settings().includeDeleted()) {
            continue;
          }
          LedgerEntry copied = known.get(ref.uid());
          if (copied != null) {
            if (flagsFollow && !FlagMerge.unchanged(ref.flags(), copied.destFlags())) {
              flagChanges++;
            }
            continue;
          }
          if (limit != null && ref.size() > limit) {
            tooLarge++;
            tooLargeBytes += ref.size();
          } else {
            messages++;
            bytes += ref.size();
          }
        }
      } catch (RuntimeException e) {
        if (ServerRefusal.words(e) == null) {
          throw e;
        }
        // The source refuses this folder (a NO to EXAMINE): its partition fails it alone and says
        // why.
      }
      folders.add(new Folder(folder, messages, bytes, tooLarge, tooLargeBytes, limit, flagChanges));
    }
    return new PendingWork(folders);
  }

  public long messages() {
    return folders.stream().mapToLong(Folder::messages).sum();
  }

  public long bytes() {
    return folders.stream().mapToLong(Folder::bytes).sum();
  }
}

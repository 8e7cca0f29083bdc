package io.mailferry.job;

import io.mailferry.mail.FolderStatus;
import io.mailferry.mail.MessageRef;
import io.mailferry.net.ServerRefusal;
import io.mailferry.quota.ToWrite;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What a run still has to write, folder by folder: the source's messages (UID, RFC822.SIZE, flags)
 * less what the ledger has, what the filters drop (\Deleted unless asked) and what the destination
 * would not accept (above its APPENDLIMIT). The same rules as the copy step's. Reads the source and
 * the ledger only.
 */
public record PendingWork(List<Folder> folders) {

  public record Folder(
      FolderPlan plan,
      long messages,
      long bytes,
      long tooLarge,
      long tooLargeBytes,
      Long appendLimit)
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
        folders.add(new Folder(folder, 0, 0, 0, 0, null));
        continue;
      }
      Long limit = runtime.appendLimit(folder.destName());
      FolderStatus status = UnchangedFolders.status(runtime, folder);
      runtime.keepStatus(folder.source(), status); // the folder's partition asks no second time
      if (UnchangedFolders.unchanged(runtime, folder, status) != null) {
        folders.add(
            new Folder(folder, 0, 0, 0, 0, limit)); // all of it is in the ledger, nothing new
        continue;
      }
      long messages = 0;
      long bytes = 0;
      long tooLarge = 0;
      long tooLargeBytes = 0;
      if (folder.refusal() != null) {
        folders.add(new Folder(folder, 0, 0, 0, 0, null)); // failed alone, nothing will be written
        continue;
      }
      try (var source = runtime.source().open(folder.source())) {
        Set<Long> known =
            runtime
                .ledger()
                .knownUids(
                    runtime.sourceAccount(),
                    runtime.destAccount(),
                    folder.ledgerKey(),
                    source.uidValidity());
        for (MessageRef ref : source.listAfter(0, known::contains)) {
          if (known.contains(ref.uid())
              || (ref.isDeleted() && !runtime.settings().includeDeleted())) {
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
      folders.add(new Folder(folder, messages, bytes, tooLarge, tooLargeBytes, limit));
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

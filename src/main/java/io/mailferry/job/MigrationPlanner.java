package io.mailferry.job;

import io.mailferry.config.FolderCollisions;
import io.mailferry.mail.FolderInfo;
import io.mailferry.mail.ImapNamespace;
import io.mailferry.mail.Printable;
import io.mailferry.sink.MailSink;
import io.mailferry.source.MailSource;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lists the source, maps every selected folder onto the destination and settles every collision of
 * two folders in one (FolderCollisions) before anything is written. Writes nothing.
 */
public final class MigrationPlanner {

  private static final Logger log = LoggerFactory.getLogger(MigrationPlanner.class);

  private MigrationPlanner() {}

  public static List<FolderPlan> plan(MigrationRuntime runtime) {
    // Both sides at once: each is a first connection (TLS handshake, login), most of this step's
    // time.
    CompletableFuture<List<FolderInfo>> listing = new CompletableFuture<>();
    MailSource source = runtime.source(); // the runtime is job-scoped: resolved on this thread
    Thread lister =
        new Thread(
            () -> {
              try {
                listing.complete(source.listFolders());
              } catch (Throwable e) {
                listing.completeExceptionally(e);
              }
            },
            "mailferry-list-source");
    lister.setDaemon(true);
    lister.start();
    MailSink.Layout layout;
    try {
      layout = runtime.sink().layout();
    } catch (RuntimeException destinationFailure) {
      // When both sides fail, the source's failure is the one to tell, as when they were asked in
      // turn: the user fixes the source first (and a test of it does not depend on a race).
      sourceFolders(listing);
      throw destinationFailure;
    }
    List<FolderInfo> sourceFolders = sourceFolders(listing);
    var destination = new ImapNamespace(layout.separator(), layout.prefix(), layout.folders());
    var mappings = runtime.settings().folderMapper().map(sourceFolders, destination);
    List<FolderPlan> plan =
        FolderCollisions.resolve(mappings, destination).stream().map(FolderPlan::of).toList();
    for (FolderPlan folder : plan) {
      if (folder.note() != null) {
        log.warn("plan: {}", folder.note());
      }
      if (folder.refusal() != null) {
        log.warn("plan: {}: {}", Printable.escape(folder.sourceLabel()), folder.refusal());
      }
    }
    return plan;
  }

  private static List<FolderInfo> sourceFolders(CompletableFuture<List<FolderInfo>> listing) {
    try {
      return listing.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }
}

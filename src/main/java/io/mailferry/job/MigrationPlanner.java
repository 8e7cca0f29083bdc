package io.mailferry.job;

import io.mailferry.mail.ImapNamespace;
import io.mailferry.sink.MailSink;
import java.util.List;

/** Lists the source, maps every selected folder onto the destination. Writes nothing. */
public final class MigrationPlanner {

  private MigrationPlanner() {}

  public static List<FolderPlan> plan(MigrationRuntime runtime) {
    var sourceFolders = runtime.source().listFolders();
    MailSink.Layout layout = runtime.sink().layout();
    var destination = new ImapNamespace(layout.separator(), layout.prefix(), layout.folders());
    return runtime.settings().folderMapper().map(sourceFolders, destination).stream()
        .map(FolderPlan::of)
        .toList();
  }
}

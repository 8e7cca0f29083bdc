package io.mailferry.source;

import io.mailferry.mail.FolderInfo;
import io.mailferry.mail.FolderStatus;
import java.util.List;

/**
 * Where messages come from. Implementations hold a capped pool of connections and are thread-safe:
 * several folders may be open at once, each on its own connection.
 */
public interface MailSource extends AutoCloseable {

  List<FolderInfo> listFolders();

  /** Opens a folder read-only on a connection of its own; close the result to give it back. */
  SourceFolder open(FolderInfo folder);

  /**
   * The folder's STATUS, asked without opening it, or null when this source cannot say (then the
   * folder is always listed).
   */
  default FolderStatus status(FolderInfo folder) {
    return null;
  }

  /** The most connections this source had open at one time. */
  int peakConnections();

  @Override
  void close();
}

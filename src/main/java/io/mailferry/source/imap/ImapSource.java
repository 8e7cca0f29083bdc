package io.mailferry.source.imap;

import io.mailferry.imap.ImapStores;
import io.mailferry.imap.NamespaceReader;
import io.mailferry.mail.FolderInfo;
import io.mailferry.mail.FolderStatus;
import io.mailferry.source.MailSource;
import io.mailferry.source.SourceFolder;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.protocol.Status;

/** An IMAP account read through a capped connection pool. Thread-safe. */
public final class ImapSource implements MailSource {

  private final ImapStores stores;
  private final Path spoolDir;

  /** --max-message-size, or 0: a message that turns out larger when read is not copied. */
  private final long maxMessageSize;

  /**
   * Messages whose RFC822.SIZE could not be read, of every folder: kept here, not in the open
   * folder, because a folder reopened after a lost connection is not listed again.
   */
  private final Set<ImapSourceFolder.MessageKey> unknownSize = ConcurrentHashMap.newKeySet();

  public ImapSource(ImapStores stores, Path spoolDir, long maxMessageSize) {
    this.stores = stores;
    this.spoolDir = spoolDir;
    this.maxMessageSize = maxMessageSize;
  }

  @Override
  public List<FolderInfo> listFolders() {
    return stores.with(store -> NamespaceReader.read(store).folders());
  }

  @Override
  public SourceFolder open(FolderInfo info) {
    // EXAMINE, not SELECT: the source is never changed (RFC 9051 6.3.3).
    return new ImapSourceFolder(info, stores, spoolDir, maxMessageSize, unknownSize);
  }

  @Override
  public FolderStatus status(FolderInfo info) {
    return stores.with(
        store -> {
          boolean condstore = store.hasCapability("CONDSTORE");
          String[] items =
              condstore
                  ? new String[] {"MESSAGES", "UIDNEXT", "UIDVALIDITY", "HIGHESTMODSEQ"}
                  : new String[] {"MESSAGES", "UIDNEXT", "UIDVALIDITY"};
          IMAPFolder folder = (IMAPFolder) store.getFolder(info.serverName());
          Status s = (Status) folder.doCommand(p -> p.status(info.serverName(), items));
          if (s == null || s.uidnext <= 0 || s.uidvalidity <= 0 || s.total < 0) {
            return null; // a server that leaves out an item: the folder is listed as usual
          }
          return new FolderStatus(
              s.uidvalidity,
              s.uidnext,
              s.total,
              condstore && s.highestmodseq > 0 ? s.highestmodseq : null);
        });
  }

  @Override
  public int peakConnections() {
    return stores.peakConnections();
  }

  @Override
  public void close() {
    stores.close();
  }
}

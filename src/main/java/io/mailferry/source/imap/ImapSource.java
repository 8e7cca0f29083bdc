package io.mailferry.source.imap;

import io.mailferry.mail.ConnectionFailures;
import io.mailferry.mail.FolderInfo;
import io.mailferry.mail.ImapNamespace;
import io.mailferry.mail.ImapStores;
import io.mailferry.source.MailSource;
import io.mailferry.source.SourceFolder;
import jakarta.mail.Folder;
import jakarta.mail.MessagingException;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;

/** An IMAP account read through a capped connection pool. Thread-safe. */
public final class ImapSource implements MailSource {

  private final ImapStores stores;
  private final Path spoolDir;

  public ImapSource(ImapStores stores, Path spoolDir) {
    this.stores = stores;
    this.spoolDir = spoolDir;
  }

  @Override
  public List<FolderInfo> listFolders() {
    return stores.with(store -> ImapNamespace.read(store).folders());
  }

  @Override
  public SourceFolder open(FolderInfo info) {
    IMAPStore store = stores.acquire();
    try {
      IMAPFolder folder = (IMAPFolder) store.getFolder(info.serverName());
      // EXAMINE, not SELECT: the source is never changed (RFC 9051 6.3.3).
      folder.open(Folder.READ_ONLY);
      return new ImapSourceFolder(info.path(), folder, spoolDir, () -> stores.release(store), () -> stores.discard(store), stores.connector());
    } catch (MessagingException e) {
      stores.discard(store);
      throw ConnectionFailures.classify("source", stores.connector().endpoint(), e);
    }
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

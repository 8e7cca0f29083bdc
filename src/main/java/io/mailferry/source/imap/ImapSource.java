package io.mailferry.source.imap;

import io.mailferry.mail.FolderInfo;
import io.mailferry.mail.ImapNamespace;
import io.mailferry.mail.ImapStores;
import io.mailferry.source.MailSource;
import io.mailferry.source.SourceFolder;
import jakarta.mail.Folder;
import java.nio.file.Path;
import java.util.List;

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
    // EXAMINE, not SELECT: the source is never changed (RFC 9051 6.3.3).
    return new ImapSourceFolder(info.path(), stores.open(info.serverName(), Folder.READ_ONLY), spoolDir);
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

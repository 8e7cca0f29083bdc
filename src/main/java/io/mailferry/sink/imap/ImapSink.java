package io.mailferry.sink.imap;

import io.mailferry.mail.ImapNamespace;
import io.mailferry.mail.ImapStores;
import io.mailferry.sink.MailSink;
import io.mailferry.sink.SinkFolder;
import jakarta.mail.Folder;
import jakarta.mail.MessagingException;

/** An IMAP account written through a capped connection pool. Thread-safe. */
public final class ImapSink implements MailSink {

  private final ImapStores stores;

  public ImapSink(ImapStores stores) {
    this.stores = stores;
  }

  @Override
  public Layout layout() {
    return stores.with(store -> {
      ImapNamespace ns = ImapNamespace.read(store);
      return new Layout(ns.separator(), ns.prefix(), ns.folders());
    });
  }

  @Override
  public void ensureFolder(String serverName, boolean subscribe) {
    stores.with(store -> {
      Folder folder = store.getFolder(serverName);
      if (!folder.exists() && !folder.create(Folder.HOLDS_MESSAGES | Folder.HOLDS_FOLDERS)) {
        // Some servers refuse a folder that holds both; a plain mailbox is what we need.
        if (!folder.create(Folder.HOLDS_MESSAGES)) {
          throw new MessagingException("the destination refused to create folder " + serverName);
        }
      }
      if (subscribe && !folder.isSubscribed()) {
        folder.setSubscribed(true);
      }
      return null;
    });
  }

  @Override
  public SinkFolder open(String serverName) {
    // SELECT, not EXAMINE: only a read-write open reports PERMANENTFLAGS (RFC 9051 7.1).
    return new ImapSinkFolder(stores.open(serverName, Folder.READ_WRITE));
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

package io.mailferry.mail;

import io.mailferry.throttle.ConnectionPool;
import io.mailferry.throttle.HostConnectionBudget;
import jakarta.mail.MessagingException;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;

/** A capped pool of IMAP connections for one account, shared by the source and sink sides. */
public final class ImapStores implements AutoCloseable {

  private final ImapConnector connector;
  private final ConnectionPool<IMAPStore> pool;

  public ImapStores(ImapConnector connector, int maxConnections) {
    this(connector, maxConnections, HostConnectionBudget.UNLIMITED);
  }

  /** Every connection also takes a place in the host's budget (shared with other workers). */
  public ImapStores(ImapConnector connector, int maxConnections, HostConnectionBudget hosts) {
    this.connector = connector;
    Endpoint endpoint = connector.endpoint();
    this.pool = hosts == HostConnectionBudget.UNLIMITED
        ? new ConnectionPool<>(maxConnections, connector::connect, IMAPStore::isConnected)
        : new ConnectionPool<>(maxConnections, connector::connect, IMAPStore::isConnected,
            () -> hosts.acquire(connector.side(), endpoint.host() + ":" + endpoint.port()));
  }

  public ImapConnector connector() {
    return connector;
  }

  public IMAPStore acquire() {
    try {
      return pool.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MailferryException.Temporary("Interrupted while waiting for a connection.", e);
    }
  }

  public void release(IMAPStore store) {
    pool.release(store);
  }

  public void discard(IMAPStore store) {
    pool.discard(store);
  }

  public int peakConnections() {
    return pool.peakConnections();
  }

  /** Runs one piece of work on a pooled connection; a failed connection is not reused. */
  public <T> T with(StoreWork<T> work) {
    IMAPStore store = acquire();
    try {
      T result = work.apply(store);
      release(store);
      return result;
    } catch (MessagingException e) {
      discard(store);
      throw ConnectionFailures.classify(connector.side(), connector.endpoint(), e);
    } catch (RuntimeException e) {
      discard(store);
      throw e;
    }
  }

  /** Opens a folder on a pooled connection: READ_ONLY (EXAMINE) or READ_WRITE (SELECT). */
  public LeasedFolder open(String serverName, int mode) {
    IMAPStore store = acquire();
    try {
      IMAPFolder folder = (IMAPFolder) store.getFolder(serverName);
      folder.open(mode);
      return new LeasedFolder(folder, store, this);
    } catch (MessagingException e) {
      discard(store);
      throw ConnectionFailures.classify(connector.side(), connector.endpoint(), e);
    }
  }

  @FunctionalInterface
  public interface StoreWork<T> {
    T apply(IMAPStore store) throws MessagingException;
  }

  @Override
  public void close() {
    pool.close();
  }
}

package io.mailferry.imap;

import io.mailferry.mail.MailferryException;
import io.mailferry.net.ConnectionFailures;
import io.mailferry.throttle.ConnectionPool;
import io.mailferry.throttle.HostBudget;
import io.mailferry.throttle.SideThrottle;
import jakarta.mail.MessagingException;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;

/** A capped pool of IMAP connections for one account, shared by the source and sink sides. */
public final class ImapStores implements AutoCloseable {

  private final ImapConnector connector;
  private final ConnectionPool<IMAPStore> pool;

  public ImapStores(ImapConnector connector, int maxConnections) {
    this.connector = connector;
    SideThrottle throttle = connector.throttle();
    this.pool =
        new ConnectionPool<>(
            maxConnections,
            connector::connect,
            IMAPStore::isConnected,
            throttle == null ? HostBudget.UNLIMITED : throttle.host().budget());
    if (throttle != null) {
      throttle.backoff().onSlowDown(pool::slowDown);
    }
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

  /**
   * The fewest connections the server's slow-down signals lowered this account to (else the cap).
   */
  public int lowestCap() {
    return pool.lowestCap();
  }

  /**
   * Says what failed, in the user's words; when the server asked to slow down, first waits as it
   * asked (and lowers this account's concurrency), so the retry that follows comes later.
   */
  public MailferryException failure(MessagingException e) {
    connector.backedOff(e);
    return ConnectionFailures.classify(connector.side(), connector.endpoint(), e);
  }

  /**
   * A command was refused for now (a tagged NO asking to slow down): waits as the server asked.
   *
   * @return false when the refusal is not such a request
   */
  public boolean backedOff(MessagingException refusal) {
    return connector.backedOff(refusal);
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
      throw failure(e);
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
      throw failure(e);
    }
  }

  @FunctionalInterface
  public interface StoreWork<T> {
    T apply(IMAPStore store) throws MessagingException;
  }

  @Override
  public void close() {
    pool.close();
    if (connector.throttle() != null) {
      connector.throttle().close();
    }
  }
}

package io.mailferry.imap;

import io.mailferry.mail.MailferryException;
import jakarta.mail.MessagingException;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;

/**
 * An open folder on a connection borrowed from {@link ImapStores}. Closing it gives the connection
 * back, or discards it when a command on it failed (it may be half-way through a response and is
 * not safe to reuse). Not thread-safe.
 */
public final class LeasedFolder implements AutoCloseable {

  private final IMAPFolder folder;
  private final IMAPStore store;
  private final ImapStores stores;
  private boolean broken;

  LeasedFolder(IMAPFolder folder, IMAPStore store, ImapStores stores) {
    this.folder = folder;
    this.store = store;
    this.stores = stores;
  }

  public IMAPFolder folder() {
    return folder;
  }

  /** Marks the connection unusable and says what failed, in the user's words. */
  public MailferryException failure(MessagingException e) {
    broken = true;
    return stores.failure(e);
  }

  /**
   * A command on this folder was refused for now (a tagged NO asking to slow down; the connection
   * is fine): waits as the server asked.
   *
   * @return false when the refusal is not such a request
   */
  public boolean backedOff(MessagingException refusal) {
    return stores.backedOff(refusal);
  }

  @Override
  public void close() {
    try {
      if (folder.isOpen()) {
        folder.close(false);
      }
    } catch (MessagingException e) {
      broken = true;
    }
    if (broken) {
      stores.discard(store);
    } else {
      stores.release(store);
    }
  }
}

package io.mailferry.source.pop3;

import io.mailferry.mail.ConnectionSettings;
import io.mailferry.mail.Endpoint;
import io.mailferry.mail.FolderInfo;
import io.mailferry.mail.FolderPath;
import io.mailferry.mail.MailferryException;
import io.mailferry.mail.Secret;
import io.mailferry.source.MailSource;
import io.mailferry.source.SourceFolder;
import io.mailferry.throttle.SideThrottle;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A POP3 mailbox: one folder (INBOX), one connection. Most servers lock the maildrop for one
 * session, so the connection that lists the mailbox while planning is the one that copies it, and a
 * second is never opened while the first lives.
 */
public final class Pop3Source implements MailSource {

  private static final Logger log = LoggerFactory.getLogger(Pop3Source.class);

  private final Endpoint endpoint;
  private final Secret secret;
  private final ConnectionSettings settings;
  private final Path spoolDir;

  /** --max-message-size, or 0: a message that turns out larger when read is refused. */
  private final long maxMessageSize;

  private final AtomicBoolean warnedNoUidl = new AtomicBoolean();
  private Pop3Client client;
  private boolean folderOpen;
  private int peak;

  private final SideThrottle throttle;

  /** Whether our one connection holds a slot of the host's budget (--max-host-connections). */
  private boolean hostSlot;

  public Pop3Source(
      Endpoint endpoint,
      Secret secret,
      ConnectionSettings settings,
      Path spoolDir,
      SideThrottle throttle,
      long maxMessageSize) {
    this.maxMessageSize = maxMessageSize;
    this.throttle = throttle;
    this.endpoint = endpoint;
    this.secret = secret;
    this.settings = settings;
    this.spoolDir = spoolDir;
  }

  /** Logs in now, so that a wrong password or a busy mailbox is reported before anything else. */
  @Override
  public synchronized List<FolderInfo> listFolders() {
    client();
    return List.of(new FolderInfo(FolderPath.INBOX, "INBOX", null, true, true));
  }

  @Override
  public synchronized SourceFolder open(FolderInfo folder) {
    if (folderOpen) {
      throw new IllegalStateException("a POP3 mailbox is read by one session at a time");
    }
    Pop3SourceFolder opened = new Pop3SourceFolder(this, client(), spoolDir, maxMessageSize);
    folderOpen = true;
    return opened;
  }

  private Pop3Client client() {
    if (client == null || client.isBroken()) {
      if (client != null) {
        client.close();
      }
      takeHostSlot();
      throttle.host().awaitLogin();
      try {
        client = Pop3Client.open(endpoint, secret, settings, throttle::onWire);
      } catch (RuntimeException e) {
        client = null;
        giveBackHostSlot();
        throw e;
      }
      peak = 1;
    }
    return client;
  }

  /**
   * The folder is done with the session. A healthy session stays open for the next use (the same
   * run lists the mailbox to plan, then copies it); one with deletions marked ends with QUIT, which
   * commits them; a broken one is hung up.
   */
  synchronized void release(boolean healthy, boolean commitDeletions) {
    folderOpen = false;
    if (client == null || (healthy && !commitDeletions)) {
      return;
    }
    try {
      if (healthy && !client.isBroken()) {
        client.quit();
      }
    } catch (MailferryException e) {
      // The deletions were not committed; the next run deletes them, having nothing to copy.
      log.warn(
          "The source POP3 session of {} did not end cleanly: {}; messages marked for deletion stay"
              + " on the server until the next run.",
          endpoint.user(),
          e.getMessage());
    } finally {
      client.close();
      client = null;
      giveBackHostSlot();
    }
  }

  /**
   * Waits while the host has as many connections as its budget allows (a bulk run's other
   * accounts).
   */
  private void takeHostSlot() {
    if (hostSlot) {
      return;
    }
    try {
      throttle.host().budget().acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MailferryException.Temporary(
          "Interrupted while waiting for a connection to " + endpoint.host() + ".", e);
    }
    hostSlot = true;
  }

  private void giveBackHostSlot() {
    if (hostSlot) {
      hostSlot = false;
      throttle.host().budget().release();
    }
  }

  /** Logs the missing UIDL once per run, not once per reconnection. */
  void warnNoUidl() {
    if (warnedNoUidl.compareAndSet(false, true)) {
      log.warn(
          "The source POP3 server {} has no UIDL: messages are told apart by a hash of their headers,"
              + " so a message whose headers the server changes would be copied again.",
          endpoint.host());
    }
  }

  @Override
  public synchronized int peakConnections() {
    return peak;
  }

  @Override
  public synchronized void close() {
    try {
      release(true, true);
    } finally {
      throttle.close();
    }
  }

  Endpoint endpoint() {
    return endpoint;
  }
}

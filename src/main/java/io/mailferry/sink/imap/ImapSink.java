package io.mailferry.sink.imap;

import io.mailferry.imap.ImapStores;
import io.mailferry.imap.NamespaceReader;
import io.mailferry.mail.ImapNamespace;
import io.mailferry.net.ServerRefusal;
import io.mailferry.sink.MailSink;
import io.mailferry.sink.QuotaRoot;
import io.mailferry.sink.SinkFolder;
import jakarta.mail.Folder;
import jakarta.mail.MessagingException;
import jakarta.mail.Quota;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.angus.mail.iap.CommandFailedException;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;

/** An IMAP account written through a capped connection pool. Thread-safe. */
public final class ImapSink implements MailSink {

  private final ImapStores stores;

  public ImapSink(ImapStores stores) {
    this.stores = stores;
  }

  @Override
  public Layout layout() {
    return stores.with(
        store -> {
          ImapNamespace ns = NamespaceReader.read(store);
          return new Layout(ns.separator(), ns.prefix(), ns.folders());
        });
  }

  @Override
  public void ensureFolder(String serverName, boolean subscribe) {
    MailSink.FolderRefused refusal =
        stores.with(
            store -> {
              IMAPFolder folder = (IMAPFolder) store.getFolder(serverName);
              boolean exists = folder.exists();
              if (!exists || !holdsMessages(folder)) {
                // Missing, or a parent listed \Noselect: Courier lists Archive/2021 before Archive,
                // and on
                // Dovecot a child created first leaves its parent \Noselect. CREATE makes it a
                // mailbox.
                String words = create(folder);
                if (words != null) {
                  return new MailSink.FolderRefused(
                      exists
                          ? "it cannot hold messages (\\Noselect), and CREATE was refused: " + words
                          : words,
                      exists);
                }
                if (exists && !holdsMessages((IMAPFolder) store.getFolder(serverName))) {
                  return new MailSink.FolderRefused(
                      "it cannot hold messages (\\Noselect), and CREATE did not change that", true);
                }
              }
              if (subscribe && !folder.isSubscribed()) {
                folder.setSubscribed(true);
              }
              return null;
            });
    if (refusal != null) {
      throw refusal; // thrown here, not in the pooled work: the connection is fine and goes back
    }
  }

  private static boolean holdsMessages(IMAPFolder folder) throws MessagingException {
    return (folder.getType() & Folder.HOLDS_MESSAGES) != 0;
  }

  /**
   * CREATE, sent as such: Angus's Folder.create answers false on a NO and drops the server's words
   * ("[CANNOT] Character not allowed in mailbox name: '.'"), which the user needs.
   *
   * @return null when created, else the server's words
   */
  private static String create(IMAPFolder folder) throws MessagingException {
    try {
      folder.doCommand(
          p -> {
            p.create(folder.getFullName());
            return null;
          });
      return null;
    } catch (MessagingException e) {
      String words = ServerRefusal.words(e);
      if (words == null) {
        throw e;
      }
      return words;
    }
  }

  @Override
  public SinkFolder open(String serverName) {
    // SELECT, not EXAMINE: only a read-write open reports PERMANENTFLAGS (RFC 9051 7.1).
    return new ImapSinkFolder(stores.open(serverName, Folder.READ_WRITE));
  }

  @Override
  public Map<String, List<QuotaRoot>> quotaRoots(Collection<String> folders) {
    return stores.with(
        store -> {
          if (!store.hasCapability("QUOTA")) {
            return null;
          }
          Map<String, List<QuotaRoot>> byFolder = new LinkedHashMap<>();
          List<QuotaRoot> inbox = roots(store.getQuota("INBOX"));
          byFolder.put("INBOX", inbox);
          for (String folder : folders) {
            if (!byFolder.containsKey(folder)) {
              byFolder.put(folder, rootsOr(store, folder, inbox));
            }
          }
          return byFolder;
        });
  }

  /** A folder not created yet (a dry run) is refused with NO: it will live under INBOX's roots. */
  private static List<QuotaRoot> rootsOr(IMAPStore store, String folder, List<QuotaRoot> fallback)
      throws MessagingException {
    try {
      return roots(store.getQuota(folder));
    } catch (MessagingException e) {
      if (e.getCause() instanceof CommandFailedException) {
        return fallback;
      }
      throw e;
    }
  }

  private static List<QuotaRoot> roots(Quota[] quotas) {
    List<QuotaRoot> roots = new ArrayList<>();
    for (Quota q : quotas == null ? new Quota[0] : quotas) {
      Map<String, QuotaRoot.Usage> resources = new LinkedHashMap<>();
      for (Quota.Resource r : q.resources == null ? new Quota.Resource[0] : q.resources) {
        resources.put(
            r.name.toUpperCase(java.util.Locale.ROOT), new QuotaRoot.Usage(r.usage, r.limit));
      }
      roots.add(new QuotaRoot(q.quotaRoot, resources));
    }
    return roots;
  }

  @Override
  public Long appendLimit(String serverName) {
    return stores.with(
        store -> {
          IMAPFolder folder = (IMAPFolder) store.getFolder(serverName);
          @SuppressWarnings("unchecked")
          Collection<String> capabilities =
              ((Map<String, String>) folder.doCommand(p -> p.getCapabilities())).keySet();
          Long global = AppendLimits.global(capabilities);
          if (global != null || !AppendLimits.perFolder(capabilities)) {
            return global;
          }
          try {
            return AppendLimits.fromStatus(folder.getStatusItem("APPENDLIMIT"));
          } catch (MessagingException e) {
            if (e.getCause() instanceof CommandFailedException) {
              return null; // not created yet (a dry run): nothing known
            }
            throw e;
          }
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

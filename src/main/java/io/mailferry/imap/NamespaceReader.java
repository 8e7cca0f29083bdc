package io.mailferry.imap;

import io.mailferry.mail.FolderInfo;
import io.mailferry.mail.FolderPath;
import io.mailferry.mail.ImapNamespace;
import io.mailferry.mail.MailferryException;
import io.mailferry.net.ResponseGuard;
import jakarta.mail.Folder;
import jakarta.mail.MessagingException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.eclipse.angus.mail.imap.protocol.Namespaces;

/**
 * Reads a server's personal namespace and its folders (LIST and LSUB) into an {@link
 * ImapNamespace}.
 */
public final class NamespaceReader {

  private NamespaceReader() {}

  private static final Set<String> SPECIAL_USE =
      Set.of("\\All", "\\Archive", "\\Drafts", "\\Flagged", "\\Junk", "\\Sent", "\\Trash");

  public static ImapNamespace read(IMAPStore store) throws MessagingException {
    try {
      return readFolders(store);
    } catch (MailferryException e) {
      throw e;
    } catch (RuntimeException e) {
      // Angus reads a LIST answer whole and fails with its own runtime errors on a malformed one
      // (an attribute list without its ")": ArrayIndexOutOfBoundsException). A partial list would
      // leave folders out in silence, and the same server answers the same next time: 76.
      throw new MessagingException(
          "unreadable folder listing",
          new ResponseGuard.Breach("its answer to LIST could not be read"));
    }
  }

  private static ImapNamespace readFolders(IMAPStore store) throws MessagingException {
    IMAPFolder top = (IMAPFolder) store.getDefaultFolder();
    String prefix = "";
    char separator = '\0';
    if (store.hasCapability("NAMESPACE")) {
      Namespaces namespaces = (Namespaces) top.doCommand(p -> p.namespace());
      if (namespaces != null && namespaces.personal != null && namespaces.personal.length > 0) {
        prefix = namespaces.personal[0].prefix == null ? "" : namespaces.personal[0].prefix;
        separator = namespaces.personal[0].delimiter;
      }
    }
    if (separator == '\0') {
      separator = top.getSeparator();
    }
    Set<String> subscribed = new HashSet<>();
    for (Folder f : top.listSubscribed("*")) {
      subscribed.add(f.getFullName());
    }
    List<FolderInfo> folders = new ArrayList<>();
    boolean sawInbox = false;
    for (Folder f : top.list("*")) {
      String name = f.getFullName();
      // Other users' and shared namespaces are not part of this mailbox.
      if (!name.equalsIgnoreCase("INBOX") && !name.startsWith(prefix)) {
        continue;
      }
      FolderInfo info = describe((IMAPFolder) f, prefix, separator, subscribed);
      sawInbox |= info.path().isInbox();
      folders.add(info);
    }
    if (!sawInbox) {
      folders.add(
          0, new FolderInfo(FolderPath.INBOX, "INBOX", null, subscribed.contains("INBOX"), true));
    }
    return new ImapNamespace(separator, prefix, List.copyOf(folders));
  }

  private static FolderInfo describe(
      IMAPFolder f, String prefix, char separator, Set<String> subscribed)
      throws MessagingException {
    String name = f.getFullName();
    String relative =
        !prefix.isEmpty() && name.startsWith(prefix) ? name.substring(prefix.length()) : name;
    FolderPath path =
        name.equalsIgnoreCase("INBOX") ? FolderPath.INBOX : FolderPath.of(relative, separator);
    String specialUse = null;
    boolean selectable = true;
    for (String attribute : f.getAttributes()) {
      String a = attribute.toLowerCase(Locale.ROOT);
      if (a.equals("\\noselect") || a.equals("\\nonexistent")) {
        selectable = false;
      }
      for (String use : SPECIAL_USE) {
        if (use.equalsIgnoreCase(attribute)) {
          specialUse = use;
        }
      }
    }
    return new FolderInfo(path, name, specialUse, subscribed.contains(name), selectable);
  }
}

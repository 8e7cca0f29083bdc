package io.mailferry.mail;

import java.util.List;

/**
 * A server's personal namespace (RFC 2342): its hierarchy separator, its prefix ("" or "INBOX."),
 * and every folder in it, listed once with LIST and once with LSUB (read by {@code
 * imap.NamespaceReader}).
 */
public record ImapNamespace(char separator, String prefix, List<FolderInfo> folders) {

  /** The server name of a path in this namespace: prefix + segments joined by the separator. */
  public String serverName(FolderPath path) {
    if (path.isInbox()) {
      return "INBOX";
    }
    FolderPath p = path;
    // On an "INBOX."-prefixed server, children of INBOX are the namespace itself.
    if (prefix.equalsIgnoreCase("INBOX" + separator) && p.first().equalsIgnoreCase("INBOX")) {
      p = new FolderPath(p.segments().subList(1, p.segments().size()));
    }
    return prefix + p.join(separator);
  }
}

package io.mailferry.mail;

/**
 * A folder as a server lists it.
 *
 * @param path the folder's UTF-8 path with the personal-namespace prefix removed
 * @param serverName the full name on the server (prefix included, decoded from modified UTF-7)
 * @param specialUse the RFC 6154 attribute ("\\Sent", …) or null
 * @param selectable false for \Noselect containers, which hold folders but no messages
 */
public record FolderInfo(
    FolderPath path,
    String serverName,
    String specialUse,
    boolean subscribed,
    boolean selectable) {}

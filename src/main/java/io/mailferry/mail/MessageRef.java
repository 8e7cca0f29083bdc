package io.mailferry.mail;

import java.time.Instant;
import java.util.Set;

/**
 * What the source says about one message before its bytes are read: its key (folder, UIDVALIDITY,
 * UID), size, INTERNALDATE, flags and keywords, and Message-ID for matching copies.
 *
 * @param flags system flags with their backslash ("\\Seen"), keywords as they are ("$Forwarded")
 * @param messageId the Message-ID header value, trimmed, or null when the message has none
 */
public record MessageRef(
    FolderPath folder,
    long uidValidity,
    long uid,
    long size,
    Instant internalDate,
    Set<String> flags,
    String messageId) {

  public MessageRef {
    flags = Set.copyOf(flags);
  }

  public boolean isDeleted() {
    return flags.contains(MessageFlags.DELETED);
  }

  /** The key used to find a copy another tool made: Message-ID, size and INTERNALDATE. */
  public ContentKey contentKey() {
    return new ContentKey(messageId, size, internalDate.getEpochSecond());
  }
}

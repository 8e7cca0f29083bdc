package io.mailferry.mail;

/**
 * Identifies a message by content when its source key cannot (another tool copied it, the ledger
 * was lost, UIDVALIDITY changed). Equal keys are only candidates: SHA-256 decides when the
 * Message-ID is missing or several messages share one key.
 */
public record ContentKey(String messageId, long size, long internalDateEpochSecond) {

  public boolean hasMessageId() {
    return messageId != null && !messageId.isEmpty();
  }
}

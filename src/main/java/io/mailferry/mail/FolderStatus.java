package io.mailferry.mail;

/**
 * A folder's STATUS (RFC 9051 6.3.11): enough to tell that nothing was added or removed since an
 * earlier look. Any APPEND raises UIDNEXT and any EXPUNGE lowers MESSAGES, so when UIDVALIDITY,
 * UIDNEXT and MESSAGES are all the same, the folder holds the same messages.
 *
 * @param highestModSeq RFC 7162 HIGHESTMODSEQ, which also moves with every flag change; null when
 *     the server lacks CONDSTORE
 */
public record FolderStatus(long uidValidity, long uidNext, long messages, Long highestModSeq) {}

package io.mailferry.job;

import io.mailferry.mail.MessageRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.infrastructure.item.ItemProcessor;

/**
 * Drops what must not be copied: \Deleted messages (unless asked), what the ledger has, and what
 * the destination would refuse for its size (above its APPENDLIMIT, RFC 7889).
 */
class CopyFilter implements ItemProcessor<MessageRef, MessageRef> {

  private static final Logger log = LoggerFactory.getLogger(CopyFilter.class);

  private final FolderSession session;

  CopyFilter(FolderSession session) {
    this.session = session;
  }

  @Override
  public MessageRef process(MessageRef ref) {
    if (ref.isDeleted() && !session.runtime().settings().includeDeleted()) {
      session.drop(ref, "flagged \\Deleted (use --include-deleted)");
      return null;
    }
    if (session.knownUids().contains(ref.uid())) {
      if (session.runtime().sink().followsFlagChanges()) {
        session.destination().refreshFlags(ref, ref.flags()); // a nightly backup follows flag changes
      }
      session.drop(ref, null);
      return null;
    }
    Long limit = session.appendLimit();
    if (limit != null && ref.size() > limit) {
      String reason = tooLarge(limit);
      log.warn("{} UID {}: {} bytes, {}: skipped", ref.folder(), ref.uid(), ref.size(), reason);
      session.drop(ref, reason);
      return null;
    }
    return ref;
  }

  static String tooLarge(long appendLimit) {
    return "larger than the destination accepts (APPENDLIMIT " + appendLimit + " bytes)";
  }
}

package io.mailferry.job;

import io.mailferry.mail.MessageRef;
import io.mailferry.sync.Decision;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.infrastructure.item.ItemProcessor;

/**
 * Drops what must not be copied, as {@link io.mailferry.sync.FolderSync#decide} says: \Deleted
 * messages (unless asked), what the ledger has, and what the destination would refuse for its size
 * (above its APPENDLIMIT, RFC 7889). Carries the decision out: counts it, refreshes an archive's
 * flags. A known message whose flags changed at the source goes on to the writer, which merges.
 */
class CopyFilter implements ItemProcessor<MessageRef, MessageRef> {

  private static final Logger log = LoggerFactory.getLogger(CopyFilter.class);

  private final FolderSession session;

  CopyFilter(FolderSession session) {
    this.session = session;
  }

  @Override
  public MessageRef process(MessageRef ref) {
    Decision decision = session.sync().decide(ref);
    if (decision instanceof Decision.AlreadyKnown known) {
      if (known.refreshFlags()) {
        session.destination().refreshFlags(ref, ref.flags());
      }
      session.drop(ref, null);
      return null;
    }
    if (decision instanceof Decision.Skip skip) {
      if (skip.why() == Decision.Why.TOO_LARGE) {
        log.warn(
            "{} UID {}: {} bytes, {}: skipped", ref.folder(), ref.uid(), ref.size(), skip.reason());
      }
      session.drop(ref, skip.reason());
      return null;
    }
    // To copy (the writer asks the destination first), or known with flags changed at the source:
    // the writer merges those of the whole chunk in one go.
    return ref;
  }
}

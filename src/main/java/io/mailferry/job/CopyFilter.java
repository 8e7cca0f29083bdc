package io.mailferry.job;

import io.mailferry.mail.MessageRef;
import org.springframework.batch.infrastructure.item.ItemProcessor;

/** Drops what must not be copied: \Deleted messages (unless asked) and what the ledger has. */
class CopyFilter implements ItemProcessor<MessageRef, MessageRef> {

  private final FolderSession session;

  CopyFilter(FolderSession session) {
    this.session = session;
  }

  @Override
  public MessageRef process(MessageRef ref) {
    if (ref.isDeleted() && !session.runtime().settings().includeDeleted()) {
      session.tally().skip("flagged \\Deleted (use --include-deleted)");
      return null;
    }
    if (session.knownUids().contains(ref.uid())) {
      session.tally().alreadyThere++;
      return null;
    }
    return ref;
  }
}

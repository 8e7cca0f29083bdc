package io.mailferry.job;

import io.mailferry.ledger.LedgerEntry;
import io.mailferry.mail.MailferryException;
import io.mailferry.mail.MessageRef;
import io.mailferry.mail.RawMessage;
import io.mailferry.report.FolderTally;
import io.mailferry.sink.SinkFolder;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;

/**
 * Copies a chunk: messages already at the destination are recorded without sending, the rest
 * are fetched (exact bytes) and appended with their flags and INTERNALDATE. The chunk's ledger
 * rows are written in the chunk's transaction, so they commit with its checkpoint.
 */
class CopyWriter implements ItemWriter<MessageRef> {

  private static final Logger log = LoggerFactory.getLogger(CopyWriter.class);

  private final FolderSession session;

  CopyWriter(FolderSession session) {
    this.session = session;
  }

  @Override
  public void write(Chunk<? extends MessageRef> chunk) {
    if (chunk.isEmpty()) {
      session.chunkWritten();
      return;
    }
    FolderTally before = session.tally().copy();
    try {
      copy(chunk);
      session.chunkWritten();
    } catch (MailferryException.Temporary | MailferryException.Unreachable e) {
      // The chunk will be retried on new connections: forget the broken ones, the destination
      // index (it changed) and the counts of this attempt.
      session.reset(before);
      throw e;
    }
  }

  /**
   * Thrown out of the fetch when the destination is full: the messages before it are stored and
   * recorded, the rest of the chunk is left for the next run.
   */
  private static final class Full extends RuntimeException {
    Full() {
      super(null, null, false, false);
    }
  }

  private void copy(Chunk<? extends MessageRef> chunk) {
    DestinationMatcher matcher = session.matcher();
    List<LedgerEntry> entries = new ArrayList<>();
    List<MessageRef> toFetch = new ArrayList<>();
    for (MessageRef ref : chunk) {
      Long found = matcher.matchByKey(ref);
      if (found != null) {
        entries.add(entry(ref, null, found, null, LedgerEntry.Outcome.FOUND));
        session.tally().alreadyThere++;
      } else {
        toFetch.add(ref);
      }
    }
    SinkFolder destination = session.destination();
    SinkFolder.FlagFilter flagFilter = destination.flagFilter();
    try {
      session.source().fetch(toFetch, (ref, raw) -> copyOne(ref, raw, matcher, destination, flagFilter, entries));
    } catch (Full full) {
      // The chunk commits what was stored before the refusal (ledger rows, tally, a checkpoint
      // just before the first message left); the folder's reader then ends the step. Matches
      // found further on are left too: the next run finds them again.
      long stop = session.stoppedAt();
      session.tally().alreadyThere -= entries.stream().filter(e -> e.sourceUid() >= stop).count();
      entries.removeIf(e -> e.sourceUid() >= stop);
    }
    session.runtime().ledger().record(entries);
  }

  private void copyOne(MessageRef ref, RawMessage raw, DestinationMatcher matcher, SinkFolder destination,
      SinkFolder.FlagFilter flagFilter, List<LedgerEntry> entries) {
    FolderTally tally = session.tally();
    if (session.runtime().destinationFull() != null) {
      session.stopAt(ref.uid()); // another folder filled it: append nothing more
      throw new Full();
    }
    if (raw == null) {
      tally.skip("expunged at the source during the run");
      return;
    }
    if (matcher.hasCandidates(ref)) {
      Long found = matcher.matchBySha(ref, raw.sha256());
      if (found != null) {
        entries.add(entry(ref, raw.sha256(), found, null, LedgerEntry.Outcome.FOUND));
        tally.alreadyThere++;
        return;
      }
    }
    Set<String> dropped = new LinkedHashSet<>();
    Set<String> flags = flagFilter.keep(ref.flags(), dropped);
    for (String flag : dropped) {
      tally.warn("flag " + flag + " cannot be stored at the destination: dropped");
      log.warn("{} UID {}: flag {} dropped, the destination cannot store it", ref.folder(), ref.uid(), flag);
    }
    try {
      session.runtime().paceMessage(); // --max-messages-per-second
      SinkFolder.Appended appended = destination.append(ref, raw, flags, ref.internalDate());
      entries.add(entry(ref, raw.sha256(), appended.uid(), appended.uidValidity(), LedgerEntry.Outcome.COPIED));
      tally.copied++;
      tally.bytesCopied += raw.size();
    } catch (MailferryException.DestinationFull e) {
      log.info("{} UID {}: the destination is full, stopping: {}", ref.folder(), ref.uid(), e.getMessage());
      session.runtime().destinationFull(e);
      session.stopAt(ref.uid());
      throw new Full();
    } catch (SinkFolder.MessageRefused e) {
      tally.fail(ref.uid(), "the destination refused it: " + e.getMessage());
      log.warn("{} UID {}: refused by the destination: {}", ref.folder(), ref.uid(), e.getMessage());
      session.runtime().countFailure(e.getMessage());
    }
  }

  private LedgerEntry entry(MessageRef ref, String sha256, Long destUid, Long destUidValidity,
      LedgerEntry.Outcome outcome) {
    MigrationRuntime runtime = session.runtime();
    return new LedgerEntry(runtime.sourceAccount(), runtime.destAccount(), session.plan().sourceLabel(),
        ref.uidValidity(), ref.uid(), session.plan().destLabel(), destUidValidity, destUid, sha256,
        ref.contentKey(), outcome);
  }
}

package io.mailferry.job;

import io.mailferry.ledger.LedgerEntry;
import io.mailferry.mail.AlterationRisk;
import io.mailferry.mail.ContentKey;
import io.mailferry.mail.MailferryException;
import io.mailferry.mail.MessageRef;
import io.mailferry.mail.RawMessage;
import io.mailferry.report.FolderTally;
import io.mailferry.sink.SinkFolder;
import io.mailferry.source.SourceFolder;
import io.mailferry.sync.Decision;
import io.mailferry.sync.FlagMerge;
import io.mailferry.sync.FlagUpdates;
import io.mailferry.sync.FolderSync;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;

/**
 * Copies a chunk: messages already at the destination are recorded without sending, the rest are
 * fetched (exact bytes) and appended with their flags and INTERNALDATE. The chunk's ledger rows are
 * written in the chunk's transaction, so they commit with its checkpoint.
 */
class CopyWriter implements ItemWriter<MessageRef> {

  private static final Logger log = LoggerFactory.getLogger(CopyWriter.class);

  static final String STORED_ALTERED = "stored altered by the destination";
  static final String NOT_READ_BACK =
      "at risk of being altered by the destination, not read back (no APPENDUID)";

  /** At most this many bytes wait in memory for one MULTIAPPEND. */
  static final long MAX_BATCH_BYTES = 4L << 20;

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
    private static final long serialVersionUID = 1L;

    Full() {
      super(null, null, false, false);
    }
  }

  private void copy(Chunk<? extends MessageRef> chunk) {
    FolderSync sync = session.sync();
    List<LedgerEntry> entries = new ArrayList<>();
    List<MessageRef> toFetch = new ArrayList<>();
    List<FlagUpdates.Pending> flagChanges = new ArrayList<>();
    for (MessageRef ref : chunk) {
      if (sync.decide(ref) instanceof Decision.FlagsChanged changed) {
        flagChanges.add(new FlagUpdates.Pending(ref, changed));
      } else if (sync.atDestination(ref) instanceof Decision.Matched found) {
        entries.add(entry(ref, null, found.destUid(), null, LedgerEntry.Outcome.FOUND, null));
        session.tally().alreadyThere++;
      } else {
        toFetch.add(ref);
      }
    }
    if (toFetch.isEmpty() && entries.isEmpty()) {
      followFlags(flagChanges);
      return;
    }
    SinkFolder destination = session.destination();
    SinkFolder.FlagFilter flagFilter = destination.flagFilter();
    Batch batch = new Batch(destination, entries);
    try {
      session
          .source()
          .fetch(
              toFetch,
              new SourceFolder.BodyHandler() {
                @Override
                public void accept(MessageRef ref, RawMessage raw) {
                  copyOne(ref, raw, sync, flagFilter, batch);
                }

                @Override
                public void unreadable(MessageRef ref, String reason) {
                  batch.flush(); // order kept, as for a message gone from the source
                  session.tally().fail(ref.uid(), reason);
                  log.warn("{} UID {}: not copied: {}", ref.folder(), ref.uid(), reason);
                }
              });
      batch.flush();
    } catch (Full full) {
      // The chunk commits what was stored before the refusal (ledger rows, tally, a checkpoint
      // just before the first message left); the folder's reader then ends the step. Matches
      // found further on are left too: the next run finds them again.
      long stop = session.stoppedAt();
      session.tally().alreadyThere -= entries.stream().filter(e -> e.sourceUid() >= stop).count();
      entries.removeIf(e -> e.sourceUid() >= stop);
      flagChanges.clear(); // left for the next run, which finds them as changed as now
    }
    countMovesSeen(entries);
    session.runtime().ledger().record(entries);
    followFlags(flagChanges);
  }

  /**
   * Without --mirror, a message copied here that the ledger holds from another source folder was
   * moved (or copied) here at the source: the old copy stays, and the summary says how many.
   */
  private void countMovesSeen(List<LedgerEntry> entries) {
    MigrationRuntime runtime = session.runtime();
    if (runtime.settings().mirror()) {
      return;
    }
    List<ContentKey> copied =
        entries.stream()
            .filter(e -> e.outcome() == LedgerEntry.Outcome.COPIED)
            .map(LedgerEntry::key)
            .toList();
    if (copied.isEmpty()) {
      return;
    }
    Set<ContentKey> elsewhere =
        runtime
            .ledger()
            .copiedFromElsewhere(
                runtime.sourceAccount(), runtime.destAccount(), session.plan().ledgerKey(), copied);
    session.tally().movesSeen += copied.stream().filter(elsewhere::contains).count();
  }

  /**
   * Merges the flags of earlier copies that changed at the source (see FlagUpdates), counts them as
   * already there, and records what the destination now has, in the chunk's transaction.
   */
  private void followFlags(List<FlagUpdates.Pending> pending) {
    if (pending.isEmpty()) {
      return;
    }
    FlagUpdates.Outcome outcome = FlagUpdates.apply(session.destination(), pending);
    FolderTally tally = session.tally();
    tally.alreadyThere += pending.size();
    tally.flagsUpdated += outcome.updated;
    tally.flagsKept += outcome.kept;
    outcome.warnings.forEach(tally::warn);
    Map<Long, Set<String>> written = new HashMap<>();
    for (FlagUpdates.Written w : outcome.written) {
      written.put(w.source().uid(), w.flags());
    }
    MigrationRuntime runtime = session.runtime();
    runtime
        .ledger()
        .recordFlags(
            runtime.sourceAccount(),
            runtime.destAccount(),
            session.plan().ledgerKey(),
            pending.get(0).source().uidValidity(),
            written);
  }

  private void copyOne(
      MessageRef ref,
      RawMessage raw,
      FolderSync sync,
      SinkFolder.FlagFilter flagFilter,
      Batch batch) {
    FolderTally tally = session.tally();
    List<LedgerEntry> entries = batch.entries;
    if (session.runtime().destinationFull() != null) {
      // Another folder filled it: append nothing more, not even what waits in the batch.
      session.stopAt(batch.isEmpty() ? ref.uid() : batch.firstUid());
      throw new Full();
    }
    if (raw == null) {
      batch.flush(); // what waits is sent first, so a stop in it never leaves this skip counted
      // twice
      tally.skip("expunged at the source during the run");
      return;
    }
    if (sync.atDestination(ref, raw) instanceof Decision.Matched found) {
      entries.add(entry(ref, raw.sha256(), found.destUid(), null, LedgerEntry.Outcome.FOUND, null));
      tally.alreadyThere++;
      return;
    }
    Set<String> dropped = new LinkedHashSet<>();
    Set<String> flags = flagFilter.keep(ref.flags(), dropped);
    for (String flag : dropped) {
      tally.warn("flag " + flag + " cannot be stored at the destination: dropped");
      log.warn(
          "{} UID {}: flag {} dropped, the destination cannot store it",
          ref.folder(),
          ref.uid(),
          flag);
    }
    batch.add(new SinkFolder.Outgoing(ref, raw, flags, ref.internalDate()));
  }

  /**
   * Messages waiting to be appended together (MULTIAPPEND) when the destination can: up to its
   * batch limit and {@link #MAX_BATCH_BYTES}, in memory only; a spooled (large) message goes on its
   * own. Order is kept: the batch is sent before any later message.
   */
  private final class Batch {
    private final SinkFolder destination;
    private final List<LedgerEntry> entries;
    private final List<SinkFolder.Outgoing> waiting = new ArrayList<>();
    private long bytes;

    Batch(SinkFolder destination, List<LedgerEntry> entries) {
      this.destination = destination;
      this.entries = entries;
    }

    boolean isEmpty() {
      return waiting.isEmpty();
    }

    long firstUid() {
      return waiting.get(0).source().uid();
    }

    void add(SinkFolder.Outgoing message) {
      session.runtime().paceMessage(); // --max-messages-per-second: each message waits its turn
      // Under a message rate a batch would leave in one burst: one message per command then.
      int limit = session.runtime().messagesPaced() ? 1 : destination.batchLimit();
      if (limit <= 1 || !message.message().inMemory()) {
        flush();
        appendOne(message);
        return;
      }
      waiting.add(message);
      bytes += message.message().size();
      if (waiting.size() >= limit || bytes >= MAX_BATCH_BYTES) {
        flush();
      }
    }

    /**
     * Sends what waits. A refused batch stored nothing (RFC 3502), so its messages then go one by
     * one: a refusal is the one message's, and a full destination stops exactly before it.
     */
    void flush() {
      if (waiting.isEmpty()) {
        return;
      }
      List<SinkFolder.Outgoing> sending = List.copyOf(waiting);
      waiting.clear();
      bytes = 0;
      if (sending.size() == 1) {
        appendOne(sending.get(0));
        return;
      }
      List<SinkFolder.Appended> stored;
      try {
        stored = destination.appendAll(sending);
      } catch (SinkFolder.BatchRefused refused) {
        log.info(
            "{}: the destination refused {} messages sent together ({}); sending them one by one",
            session.plan().destLabel(),
            sending.size(),
            refused.getMessage());
        sending.forEach(this::appendOne);
        return;
      }
      for (int i = 0; i < sending.size(); i++) {
        copied(sending.get(i), stored.get(i));
      }
    }

    private void copied(SinkFolder.Outgoing m, SinkFolder.Appended appended) {
      entries.add(
          entry(
              m.source(),
              m.message().sha256(),
              appended.uid(),
              appended.uidValidity(),
              LedgerEntry.Outcome.COPIED,
              FlagMerge.carried(m.flags())));
      session.tally().copied++;
      session.tally().bytesCopied += m.message().size();
      readBack(m, appended);
    }

    /**
     * A message at risk of being altered by the destination (see AlterationRisk) is read back by
     * its APPENDUID and held against the source's SHA-256; any other message is not: reading every
     * message back would double the run's traffic.
     */
    private void readBack(SinkFolder.Outgoing m, SinkFolder.Appended appended) {
      if (!destination.mayAlter()) {
        return;
      }
      String risk = AlterationRisk.of(m.message());
      if (risk == null) {
        return;
      }
      MessageRef ref = m.source();
      if (appended.uid() == null) {
        session.tally().warn(NOT_READ_BACK);
        log.warn(
            "{} UID {}: {}, and the destination gave no APPENDUID to read it back",
            ref.folder(),
            ref.uid(),
            risk);
        return;
      }
      String stored = destination.sha256(appended.uid());
      if (!m.message().sha256().equals(stored)) {
        session.tally().warn(STORED_ALTERED);
        log.warn(
            "{} UID {}: stored altered by the destination (it has {}; destination UID {}, SHA-256 {})",
            ref.folder(),
            ref.uid(),
            risk,
            appended.uid(),
            stored == null ? "none: not found" : stored);
      }
    }

    private void appendOne(SinkFolder.Outgoing m) {
      MessageRef ref = m.source();
      FolderTally tally = session.tally();
      try {
        copied(m, destination.append(ref, m.message(), m.flags(), m.internalDate()));
      } catch (MailferryException.DestinationFull e) {
        log.info(
            "{} UID {}: the destination is full, stopping: {}",
            ref.folder(),
            ref.uid(),
            e.getMessage());
        session.runtime().destinationFull(e);
        session.stopAt(ref.uid());
        throw new Full();
      } catch (SinkFolder.MessageRefused e) {
        tally.fail(ref.uid(), "the destination refused it: " + e.getMessage());
        log.warn(
            "{} UID {}: refused by the destination: {}", ref.folder(), ref.uid(), e.getMessage());
        session.runtime().countFailure(e.getMessage());
      }
    }
  }

  private LedgerEntry entry(
      MessageRef ref,
      String sha256,
      Long destUid,
      Long destUidValidity,
      LedgerEntry.Outcome outcome,
      Set<String> destFlags) {
    MigrationRuntime runtime = session.runtime();
    return new LedgerEntry(
        runtime.sourceAccount(),
        runtime.destAccount(),
        session.plan().ledgerKey(),
        ref.uidValidity(),
        ref.uid(),
        session.plan().destLabel(),
        destUidValidity,
        destUid,
        sha256,
        ref.contentKey(),
        outcome,
        destFlags);
  }
}

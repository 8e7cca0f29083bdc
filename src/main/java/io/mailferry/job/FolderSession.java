package io.mailferry.job;

import io.mailferry.config.SourceDeletion;
import io.mailferry.ledger.Ledger;
import io.mailferry.ledger.LedgerEntry;
import io.mailferry.mail.FolderStatus;
import io.mailferry.mail.MailferryException;
import io.mailferry.mail.MessageRef;
import io.mailferry.mail.Printable;
import io.mailferry.report.FolderTally;
import io.mailferry.sink.SinkFolder;
import io.mailferry.source.SourceFolder;
import io.mailferry.sync.DestinationMatcher;
import io.mailferry.sync.FolderSync;
import io.mailferry.sync.MirrorPlan;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStream;
import tools.jackson.databind.json.JsonMapper;

/**
 * One folder's transfer: the open source and destination folders (one connection each), what the
 * ledger knows, the destination matcher and the tally. Step-scoped: one per partition. The tally is
 * saved with every checkpoint, so the counts survive a restart.
 */
class FolderSession implements ItemStream, StepExecutionListener {

  private static final String TALLY_KEY = "tally";

  /** Set when the folder stopped in a chunk because the destination was full: the refusal. */
  static final String FULL_KEY = "destinationFull";

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Logger log = LoggerFactory.getLogger(FolderSession.class);

  /** The console shows this logger at INFO. */
  private static final Logger progress = LoggerFactory.getLogger("io.mailferry.progress");

  private final MigrationRuntime runtime;
  private final FolderPlan plan;
  private SourceFolder source;
  private SinkFolder destination;
  private Map<Long, LedgerEntry> known;
  private DestinationMatcher matcher;
  private FolderSync sync;
  private List<MessageRef> sourceRefs = List.of();
  private FolderTally tally;

  /**
   * What the filter dropped since the last chunk was written, to take back what a stop leaves
   * unwritten.
   */
  private final List<Dropped> dropped = new ArrayList<>();

  private Long stoppedAt;

  /**
   * The source's STATUS just before this run listed the whole folder; null after a partial listing.
   */
  private FolderStatus listedAt;

  /** What the --mirror pass did to this folder's copies (the job's context), or null. */
  private MirrorCounts mirrored;

  private FolderPromise promise;
  private long promiseUidValidity;

  /**
   * @param skipReason null for a message the ledger already has
   */
  private record Dropped(long uid, String skipReason) {}

  FolderSession(MigrationRuntime runtime, FolderPlan plan) {
    this.runtime = runtime;
    this.plan = plan;
  }

  @Override
  public void beforeStep(StepExecution step) {
    var job = step.getJobExecution().getExecutionContext();
    if (job.containsKey(MirrorTasklet.MIRROR_KEY)) {
      mirrored =
          MirrorCounts.fromJson(job.getString(MirrorTasklet.MIRROR_KEY)).get(plan.ledgerKey());
    }
  }

  @Override
  public void open(ExecutionContext context) {
    context.remove(FULL_KEY); // a stop of an earlier run; this one starts afresh
    tally =
        context.containsKey(TALLY_KEY)
            ? JSON.readValue(context.getString(TALLY_KEY), FolderTally.class)
            : newTally();
  }

  /**
   * A fresh tally, with the plan step's warnings for this folder (merged, renamed, a fallback) in
   * it.
   */
  private FolderTally newTally() {
    FolderTally t = new FolderTally(plan.sourceLabel(), plan.destLabel());
    if (plan.note() != null) {
      t.warn(plan.note());
    }
    if (mirrored != null) {
      t.moved = mirrored.moved;
      t.expunged = mirrored.expunged;
      t.mirrorHeld = mirrored.held;
      if (mirrored.held != null) {
        t.warn(mirrored.held);
      }
    }
    if (plan.fallbackFrom() != null) {
      t.warn(
          "the destination folder "
              + plan.fallbackFrom()
              + " cannot hold messages (\\Noselect): "
              + "they went to "
              + plan.destLabel());
    }
    return t;
  }

  /** The whole folder failed (not created, not readable): said with its reason, the run goes on. */
  void folderFailed(String reason) {
    tally().folderFailure = reason;
    log.warn(
        "{}: folder failed: {}", Printable.escape(plan.sourceLabel()), Printable.escape(reason));
  }

  @Override
  public void update(ExecutionContext context) {
    context.putString(TALLY_KEY, JSON.writeValueAsString(tally()));
    var full = runtime.destinationFull();
    if (stoppedAt != null && full != null) {
      context.putString(FULL_KEY, full.getMessage());
    }
  }

  /** The folder was listed from its first message on, just after this STATUS (null: unknown). */
  void listing(FolderStatus status) {
    listedAt = status;
  }

  /**
   * After the folder's last chunk committed: when every message it held at {@link #listing} is now
   * in the ledger, the ledger remembers that STATUS, so an unchanged folder is not listed again
   * (see UnchangedFolders); otherwise it forgets any older one.
   */
  @Override
  public ExitStatus afterStep(StepExecution step) {
    checkPromise(step);
    if (listedAt == null) {
      return step.getExitStatus();
    }
    FolderTally t = tally();
    boolean complete =
        step.getStatus() == BatchStatus.COMPLETED
            && stoppedAt == null
            && t.failedCount == 0
            && t.totalSkipped() == 0
            && t.copied + t.alreadyThere == t.atSource
            && t.atSource == listedAt.messages();
    try {
      if (complete) {
        runtime
            .ledger()
            .recordComplete(
                runtime.sourceAccount(),
                runtime.destAccount(),
                plan.ledgerKey(),
                new Ledger.CompleteFolder(listedAt, t.bytesAtSource));
      } else {
        runtime
            .ledger()
            .forgetComplete(runtime.sourceAccount(), runtime.destAccount(), plan.ledgerKey());
      }
    } catch (RuntimeException e) {
      // Only a hint for the next run, which then lists the folder.
      log.warn(
          "{}: could not note the folder's state for the next run: {}",
          plan.sourceLabel(),
          e.getMessage());
    }
    return step.getExitStatus();
  }

  /**
   * What this run's listing handed over, to check at the folder's end; null when nothing was
   * listed.
   */
  void promise(FolderPromise promise, long uidValidity) {
    this.promise = promise;
    this.promiseUidValidity = uidValidity;
  }

  /**
   * A folder that read to its end (not stopped by a full destination or a failure, which end the
   * run otherwise): the listing, the ledger and the summary must agree, else the folder fails.
   */
  private void checkPromise(StepExecution step) {
    if (promise == null || step.getStatus() != BatchStatus.COMPLETED || stoppedAt != null) {
      return;
    }
    String disagreement;
    try {
      Set<Long> inLedger =
          runtime
              .ledger()
              .knownUids(
                  runtime.sourceAccount(),
                  runtime.destAccount(),
                  plan.ledgerKey(),
                  promiseUidValidity);
      disagreement = promise.disagreement(tally(), inLedger);
    } catch (RuntimeException e) {
      disagreement = "the ledger could not be read to check the folder: " + e.getMessage();
    }
    if (disagreement != null) {
      log.error("{}: {}", Printable.escape(plan.sourceLabel()), disagreement);
      tally().fail(0, "the folder's counts disagree: " + disagreement);
      step.getExecutionContext().putString(TALLY_KEY, JSON.writeValueAsString(tally()));
    }
  }

  @Override
  public void close() {
    try {
      deleteCopiedAtSource();
      if (source != null) {
        source.close();
      }
    } finally {
      if (destination != null) {
        destination.close();
      }
      source = null;
      destination = null;
    }
  }

  /**
   * --delete-after-copy / --delete-older-than (POP3): marks for deletion what the ledger holds,
   * committed, so only messages whose copies are stored and recorded. The deletions take effect
   * when the source session ends with QUIT; a session killed before that deletes nothing, and the
   * next run finds those messages in the ledger, copies nothing and deletes them then.
   */
  private void deleteCopiedAtSource() {
    SourceDeletion deletion = runtime.settings().sourceDeletion();
    if (!deletion.enabled() || source == null) {
      return;
    }
    try {
      Instant now = Instant.now();
      List<Long> uids =
          runtime
              .ledger()
              .knownDates(
                  runtime.sourceAccount(),
                  runtime.destAccount(),
                  plan.ledgerKey(),
                  source.uidValidity())
              .entrySet()
              .stream()
              .filter(e -> deletion.deletes(e.getValue(), now))
              .map(Map.Entry::getKey)
              .toList();
      int marked = source.deleteOnClose(uids);
      if (marked > 0) {
        progress.info("{}: {} copied messages deleted at the source", plan.sourceLabel(), marked);
      }
    } catch (MailferryException e) {
      log.warn(
          "{}: copied messages were not deleted at the source this time: {}",
          plan.sourceLabel(),
          e.getMessage());
    }
  }

  /**
   * After a broken connection: closes both folders (their connections are discarded, not reused),
   * forgets the destination index, and restores the tally to before the attempt.
   */
  void reset(FolderTally before) {
    close();
    matcher = null;
    tally = before;
  }

  MigrationRuntime runtime() {
    return runtime;
  }

  FolderPlan plan() {
    return plan;
  }

  FolderTally tally() {
    if (tally == null) {
      tally = newTally();
    }
    return tally;
  }

  SourceFolder source() {
    if (source == null) {
      source = runtime.source().open(plan.source());
    }
    return source;
  }

  SinkFolder destination() {
    if (destination == null) {
      destination = runtime.sink().open(plan.destName());
    }
    return destination;
  }

  /** Counts a message the filter drops: skipped for this reason, or (null) already there. */
  void drop(MessageRef ref, String skipReason) {
    if (skipReason == null) {
      tally().alreadyThere++;
    } else {
      tally().skip(skipReason);
    }
    dropped.add(new Dropped(ref.uid(), skipReason));
  }

  /** A chunk was written: what the filter dropped before it is settled. */
  void chunkWritten() {
    dropped.clear();
  }

  /**
   * The destination is full: this folder stops before {@code uid}, which and all after it stay
   * unwritten. The checkpoint is set just before it and the filter's counts for the messages from
   * it on are taken back, so the next run counts them once.
   */
  void stopAt(long uid) {
    if (stoppedAt != null) {
      return;
    }
    stoppedAt = uid;
    for (Dropped d : dropped) {
      if (d.uid() >= uid) {
        if (d.skipReason() == null) {
          tally().alreadyThere--;
        } else {
          tally().unskip(d.skipReason());
        }
      }
    }
    dropped.clear();
  }

  /** The UID this folder stopped before because the destination is full, or null. */
  Long stoppedAt() {
    return stoppedAt;
  }

  /** The destination folder's APPENDLIMIT, or null. */
  Long appendLimit() {
    return runtime.appendLimit(plan.destName());
  }

  /**
   * The folder's decisions (copy, already there, skip), over this session's ledger cache, the
   * destination's limit and its matcher, each asked for only when a decision needs it.
   */
  FolderSync sync() {
    if (sync == null) {
      var rules = new FolderSync.Rules(runtime.settings().includeDeleted(), flagSync(runtime));
      sync = new FolderSync(rules, uid -> known().get(uid), this::appendLimit, this::matcher);
    }
    return sync;
  }

  /**
   * How earlier copies' flags follow the source: an archive takes them as they are (nobody works
   * there); an IMAP destination merges them, unless --no-flag-sync.
   */
  static FolderSync.FlagSync flagSync(MigrationRuntime runtime) {
    if (runtime.sink().followsFlagChanges()) {
      return FolderSync.FlagSync.REFRESH;
    }
    return runtime.settings().following().flags()
        ? FolderSync.FlagSync.MERGE
        : FolderSync.FlagSync.NONE;
  }

  /** Source UIDs under the current UIDVALIDITY that the ledger already has. */
  Set<Long> knownUids() {
    return known().keySet();
  }

  /** What the ledger has of this folder under its current UIDVALIDITY, by source UID. */
  Map<Long, LedgerEntry> known() {
    if (known == null) {
      known =
          runtime
              .ledger()
              .entriesFrom(
                  runtime.sourceAccount(),
                  runtime.destAccount(),
                  plan.ledgerKey(),
                  source().uidValidity());
    }
    return known;
  }

  /**
   * After a complete listing, a destination that follows removals (an archive) marks what is gone
   * from the source (or removes it, with --mirror): a backup never loses mail unless asked to.
   */
  void sweep(List<MessageRef> all) {
    var following = runtime.settings().following();
    SinkFolder.MirrorGuard guard =
        following.mirror()
            ? (lost, known) -> MirrorPlan.refusal(lost, known, following.maxDeletePercent())
            : null;
    // Only this source folder's records: another may share the archive folder (merged, issue 16.1).
    SinkFolder.Sweep swept = destination().sweep(plan.sourceLabel(), all, guard);
    FolderTally t = tally();
    t.expunged += swept.removed();
    if (swept.held() != null) {
      t.mirrorHeld = swept.held();
      t.warn(swept.held());
    }
    if (swept.removed() > 0) {
      progress.info(
          "{}: {} messages no longer at the source removed from the archive (--mirror)",
          plan.sourceLabel(),
          swept.removed());
    }
    if (swept.marked() > 0) {
      progress.info(
          "{}: {} messages no longer at the source kept in the archive, marked in its manifest",
          plan.sourceLabel(),
          swept.marked());
    }
  }

  /** The folder's messages as listed; the matcher learns from them which keys repeat. */
  void noteSourceRefs(List<MessageRef> refs) {
    this.sourceRefs = refs;
  }

  /**
   * Built on first use only: a re-run where the ledger already has everything never opens the
   * destination folder at all, which keeps a no-op run quick.
   */
  DestinationMatcher matcher() {
    if (matcher == null) {
      var claims =
          runtime
              .ledger()
              .entriesIn(runtime.sourceAccount(), runtime.destAccount(), plan.destLabel());
      matcher =
          new DestinationMatcher(
              destination(),
              destination().index(),
              claims,
              plan.ledgerKey(),
              source().uidValidity());
      matcher.noteSource(sourceRefs);
    }
    return matcher;
  }
}

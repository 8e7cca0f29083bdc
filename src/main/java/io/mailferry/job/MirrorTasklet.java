package io.mailferry.job;

import io.mailferry.ledger.Ledger;
import io.mailferry.ledger.LedgerEntry;
import io.mailferry.mail.Printable;
import io.mailferry.sink.SinkFolder;
import io.mailferry.sync.MirrorPlan;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The --mirror pass into an IMAP destination (issue 19), between the plan and the copy: lists every
 * source folder, decides with {@link MirrorPlan} what moved and what is gone, and makes the same
 * moves (UID MOVE) and expunges (UID EXPUNGE of the copies' own UIDs) at the destination, touching
 * nothing mailferry did not copy. An archive follows removals in its own folder step instead.
 *
 * <p>Exactly once: each decision is written in the ledger and committed before the destination is
 * touched, and its end is committed after. A run killed in between finds the decision on its next
 * start and finishes it ({@link #finishInterrupted}) before deciding anything new, so it never
 * expunges a message it did not record as gone, nor moves one twice.
 */
final class MirrorTasklet implements Tasklet {

  static final String MIRROR_KEY = "mirror";
  static final String NO_UID_EDITS =
      "--mirror made no move or expunge here: the destination cannot address its messages by UID"
          + " (no UIDPLUS)";

  private static final Logger log = LoggerFactory.getLogger(MirrorTasklet.class);
  private static final Logger progress = LoggerFactory.getLogger("io.mailferry.progress");

  private final MigrationRuntime runtime;
  private final RetryTemplate reconnect;
  private final TransactionTemplate commit;
  private final Map<String, MirrorCounts> counts = new LinkedHashMap<>();

  MirrorTasklet(MigrationRuntime runtime, RetryTemplate reconnect, PlatformTransactionManager tm) {
    this.runtime = runtime;
    this.reconnect = reconnect;
    this.commit = new TransactionTemplate(tm);
    // Each decision commits on its own, whatever the step's transaction does.
    this.commit.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
  }

  @Override
  public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
    var job =
        chunkContext.getStepContext().getStepExecution().getJobExecution().getExecutionContext();
    if (!runtime.settings().mirror()
        || runtime.sink().followsRemovals()
        || ledger().count(runtime.sourceAccount(), runtime.destAccount()) == 0) {
      return RepeatStatus.FINISHED; // nothing copied yet: nothing to follow
    }
    Folders folders = new Folders(FolderPlan.listFromJson(job.getString(PlanTasklet.PLAN_KEY)));
    reconnect.invoke(() -> finishInterrupted(folders));
    List<MirrorPlan.Folder> seen =
        reconnect.invoke(() -> MirrorSurvey.of(runtime, folders.byKey.values()));
    MirrorPlan.Result result =
        MirrorPlan.decide(seen, runtime.settings().following().maxDeletePercent());
    result
        .held()
        .forEach(
            (key, why) -> {
              counts(key).held = why;
              log.warn("{}: {}", Printable.escape(folders.label(key)), why);
            });
    reconnect.invoke(() -> move(folders, result.moves()));
    reconnect.invoke(() -> expunge(folders, result.expunges()));
    job.putString(MIRROR_KEY, MirrorCounts.toJson(counts));
    return RepeatStatus.FINISHED;
  }

  /** The plan's folders by ledger key and by destination folder. */
  private static final class Folders {
    final Map<String, FolderPlan> byKey = new LinkedHashMap<>();
    final Map<String, String> destNameByLabel = new HashMap<>();

    Folders(List<FolderPlan> plan) {
      for (FolderPlan f : plan) {
        if (f.selectable() && f.refusal() == null) {
          byKey.put(f.ledgerKey(), f);
          destNameByLabel.put(f.destLabel(), f.destName());
        }
      }
    }

    String label(String key) {
      FolderPlan f = byKey.get(key);
      return f == null ? key : f.sourceLabel();
    }
  }

  private void move(Folders folders, List<MirrorPlan.Move> moves) {
    Map<List<String>, List<MirrorPlan.Move>> byRoute = new LinkedHashMap<>();
    for (MirrorPlan.Move m : moves) {
      FolderPlan to = folders.byKey.get(m.toLedgerKey());
      byRoute
          .computeIfAbsent(List.of(m.from().destFolder(), to.destLabel()), k -> new ArrayList<>())
          .add(m);
    }
    byRoute.forEach((route, group) -> moveGroup(folders, route.get(0), route.get(1), group));
  }

  private void moveGroup(
      Folders folders, String fromLabel, String toLabel, List<MirrorPlan.Move> group) {
    String toKey = group.get(0).toLedgerKey();
    if (fromLabel.equals(toLabel)) {
      // Both source folders write into one destination folder: only the ledger row moves.
      commit.executeWithoutResult(
          tx ->
              group.forEach(
                  m -> moved(m, toLabel, m.from().destUidValidity(), m.from().destUid())));
      counts(toKey).moved += group.size();
      return;
    }
    String fromName = folders.destNameByLabel.get(fromLabel);
    String toName = folders.destNameByLabel.get(toLabel);
    long toUidValidity;
    try (SinkFolder target = runtime.sink().open(toName)) {
      toUidValidity = target.editsByUid() ? target.uidValidity() : -1;
    }
    try (SinkFolder from = runtime.sink().open(fromName)) {
      List<LedgerEntry> rows =
          addressable(from, group.stream().map(MirrorPlan.Move::from).toList());
      if (rows.isEmpty() || toUidValidity < 0) {
        return; // the copy step copies them again; the old copies stay (nothing is lost)
      }
      commit.executeWithoutResult(tx -> ledger().markMirror(rows, Ledger.MirrorState.MOVING));
      Map<Long, Long> newUids =
          from.moveTo(rows.stream().map(LedgerEntry::destUid).toList(), toName);
      Set<LedgerEntry> movable = new HashSet<>(rows);
      commit.executeWithoutResult(
          tx -> {
            for (MirrorPlan.Move m : group) {
              if (!movable.contains(m.from())) {
                continue;
              }
              if (newUids.containsKey(m.from().destUid())) {
                moved(m, toLabel, toUidValidity, newUids.get(m.from().destUid()));
                counts(toKey).moved++;
              } else {
                // No longer in its destination folder (its user deleted it there): the copy step
                // copies it again into the new folder.
                ledger().forget(List.of(m.from()));
              }
            }
          });
      progress.info(
          "{}: {} messages moved at the destination as at the source (--mirror)",
          Printable.escape(toLabel),
          newUids.size());
    }
  }

  private void moved(MirrorPlan.Move m, String toLabel, Long destUidValidity, Long destUid) {
    ledger()
        .moved(
            m.from(),
            m.toLedgerKey(),
            m.to().uidValidity(),
            m.to().uid(),
            toLabel,
            destUidValidity,
            destUid);
  }

  private void expunge(Folders folders, Map<String, List<LedgerEntry>> expunges) {
    expunges.forEach(
        (sourceKey, rows) -> {
          Map<String, List<LedgerEntry>> byDest = new LinkedHashMap<>();
          rows.forEach(r -> byDest.computeIfAbsent(r.destFolder(), k -> new ArrayList<>()).add(r));
          byDest.forEach(
              (label, inFolder) -> {
                String name = folders.destNameByLabel.get(label);
                if (name != null) {
                  expungeIn(name, label, inFolder, true);
                }
              });
        });
  }

  /**
   * Expunges these copies at the destination and forgets them.
   *
   * @param decide write the decision first (a new one); false when finishing one already written
   */
  private void expungeIn(String name, String label, List<LedgerEntry> rows, boolean decide) {
    try (SinkFolder folder = runtime.sink().open(name)) {
      List<LedgerEntry> addressable = addressable(folder, rows);
      if (addressable.isEmpty()) {
        return;
      }
      if (decide) {
        commit.executeWithoutResult(
            tx -> ledger().markMirror(addressable, Ledger.MirrorState.GONE));
      }
      folder.expunge(addressable.stream().map(LedgerEntry::destUid).toList());
      commit.executeWithoutResult(tx -> ledger().forget(addressable));
      addressable.forEach(r -> counts(r.sourceFolder()).expunged++);
      progress.info(
          "{}: {} messages expunged at the destination, gone from the source (--mirror)",
          Printable.escape(label),
          addressable.size());
    }
  }

  /**
   * The rows whose copies this folder can address: it edits by UID, and each has a destination UID
   * under the folder's UIDVALIDITY now. The others are left as they are, with a warning.
   */
  private List<LedgerEntry> addressable(SinkFolder folder, List<LedgerEntry> rows) {
    if (!folder.editsByUid()) {
      rows.forEach(r -> counts(r.sourceFolder()).held = NO_UID_EDITS);
      log.warn("{}", NO_UID_EDITS);
      return List.of();
    }
    long uidValidity = folder.uidValidity();
    List<LedgerEntry> out = new ArrayList<>();
    for (LedgerEntry r : rows) {
      if (r.destUid() != null
          && (r.destUidValidity() == null || r.destUidValidity() == uidValidity)) {
        out.add(r);
      }
    }
    return out;
  }

  /**
   * A run killed in the middle of a --mirror pass left decisions written and not finished: an
   * expunge is finished (expunging a UID already gone is harmless); a move that did not happen is
   * given up (the pass decides it again), one that happened is forgotten (the copy step finds the
   * moved copy in its new folder by its content, and records it).
   */
  private void finishInterrupted(Folders folders) {
    String from = runtime.sourceAccount();
    String to = runtime.destAccount();
    Map<String, List<LedgerEntry>> gone =
        byDestFolder(ledger().inMirrorState(from, to, Ledger.MirrorState.GONE));
    gone.forEach(
        (label, rows) -> {
          String name = folders.destNameByLabel.get(label);
          if (name == null) {
            commit.executeWithoutResult(tx -> ledger().clearMirror(rows));
            return;
          }
          expungeIn(name, label, rows, false);
        });
    Map<String, List<LedgerEntry>> moving =
        byDestFolder(ledger().inMirrorState(from, to, Ledger.MirrorState.MOVING));
    moving.forEach(
        (label, rows) -> {
          String name = folders.destNameByLabel.get(label);
          if (name == null) {
            commit.executeWithoutResult(tx -> ledger().clearMirror(rows));
            return;
          }
          try (SinkFolder folder = runtime.sink().open(name)) {
            List<LedgerEntry> addressable = addressable(folder, rows);
            Map<Long, Set<String>> still =
                folder.flagsOf(addressable.stream().map(LedgerEntry::destUid).toList());
            List<LedgerEntry> stayed = new ArrayList<>();
            List<LedgerEntry> left = new ArrayList<>();
            for (LedgerEntry r : rows) {
              (addressable.contains(r) && !still.containsKey(r.destUid()) ? left : stayed).add(r);
            }
            commit.executeWithoutResult(
                tx -> {
                  ledger().clearMirror(stayed);
                  ledger().forget(left);
                });
          }
        });
  }

  private static Map<String, List<LedgerEntry>> byDestFolder(List<LedgerEntry> rows) {
    Map<String, List<LedgerEntry>> out = new LinkedHashMap<>();
    rows.forEach(r -> out.computeIfAbsent(r.destFolder(), k -> new ArrayList<>()).add(r));
    return out;
  }

  private MirrorCounts counts(String ledgerKey) {
    return counts.computeIfAbsent(ledgerKey, k -> new MirrorCounts());
  }

  private Ledger ledger() {
    return runtime.ledger();
  }
}

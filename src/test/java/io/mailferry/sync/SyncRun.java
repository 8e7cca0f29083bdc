package io.mailferry.sync;

import io.mailferry.ledger.LedgerEntry;
import io.mailferry.mail.FolderInfo;
import io.mailferry.mail.MessageRef;
import io.mailferry.mail.RawMessage;
import io.mailferry.sink.MailSink;
import io.mailferry.sink.SinkFolder;
import io.mailferry.source.MailSource;
import io.mailferry.source.SourceFolder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Carries out {@link FolderSync}'s decisions for one folder the way the job's step does, without
 * Spring Batch: the ledger is a list of rows kept across runs, so a second run is a re-run.
 */
final class SyncRun {

  static final String SOURCE_ACCOUNT = "alice@old.example.org";
  static final String DEST_ACCOUNT = "alice@new.example.org";

  /** What the ledger holds, across runs. */
  final List<LedgerEntry> ledger = new ArrayList<>();

  /**
   * What one run did: how many it copied, found at the destination, knew already; the skip reasons.
   */
  record Outcome(
      int copied, int matched, int known, List<String> skipped, int flagsUpdated, int flagsKept) {}

  private final MailSource source;
  private final MailSink sink;
  private boolean includeDeleted;
  private boolean noFlagSync;
  private Long appendLimit;

  SyncRun(MailSource source, MailSink sink) {
    this.source = source;
    this.sink = sink;
  }

  SyncRun includeDeleted() {
    includeDeleted = true;
    return this;
  }

  SyncRun noFlagSync() {
    noFlagSync = true;
    return this;
  }

  SyncRun appendLimit(long limit) {
    appendLimit = limit;
    return this;
  }

  /** One run over a source folder into the destination folder of the same name. */
  Outcome folder(String name) {
    FolderInfo info =
        source.listFolders().stream()
            .filter(f -> f.path().toString().equals(name))
            .findFirst()
            .orElseThrow();
    sink.ensureFolder(name, false);
    try (SourceFolder from = source.open(info);
        SinkFolder to = sink.open(name)) {
      long uidValidity = from.uidValidity();
      Map<Long, LedgerEntry> known = new HashMap<>();
      for (LedgerEntry e : ledger) {
        if (e.sourceFolder().equals(name) && e.sourceUidValidity() == uidValidity) {
          known.put(e.sourceUid(), e);
        }
      }
      List<MessageRef> refs = from.listAfter(0, known::containsKey);
      DestinationMatcher[] matcher = new DestinationMatcher[1];
      FolderSync sync =
          new FolderSync(
              new FolderSync.Rules(includeDeleted, flagSync()),
              known::get,
              () -> appendLimit,
              () -> {
                if (matcher[0] == null) {
                  List<LedgerEntry> claims =
                      ledger.stream().filter(e -> e.destFolder().equals(name)).toList();
                  matcher[0] = new DestinationMatcher(to, to.index(), claims, name, uidValidity);
                  matcher[0].noteSource(refs);
                }
                return matcher[0];
              });
      int copied = 0;
      int matched = 0;
      int knownCount = 0;
      List<String> skipped = new ArrayList<>();
      List<FlagUpdates.Pending> flagChanges = new ArrayList<>();
      for (MessageRef ref : refs) {
        Decision d = sync.decide(ref);
        if (d instanceof Decision.FlagsChanged changed) {
          flagChanges.add(new FlagUpdates.Pending(ref, changed));
          knownCount++;
          continue;
        }
        if (d instanceof Decision.AlreadyKnown k) {
          if (k.refreshFlags()) {
            to.refreshFlags(ref, ref.flags());
          }
          knownCount++;
          continue;
        }
        if (d instanceof Decision.Skip s) {
          skipped.add(s.reason());
          continue;
        }
        if (sync.atDestination(ref) instanceof Decision.Matched m) {
          record(ref, name, m.destUid(), LedgerEntry.Outcome.FOUND, null);
          matched++;
          continue;
        }
        RawMessage[] body = new RawMessage[1];
        from.fetch(List.of(ref), (r, raw) -> body[0] = raw);
        if (sync.atDestination(ref, body[0]) instanceof Decision.Matched m) {
          record(ref, name, m.destUid(), LedgerEntry.Outcome.FOUND, null);
          matched++;
          continue;
        }
        SinkFolder.Appended appended = to.append(ref, body[0], ref.flags(), ref.internalDate());
        record(ref, name, appended.uid(), LedgerEntry.Outcome.COPIED, ref.flags());
        copied++;
      }
      FlagUpdates.Outcome flags = FlagUpdates.apply(to, flagChanges);
      for (FlagUpdates.Written w : flags.written) {
        LedgerEntry e = known.get(w.source().uid());
        ledger.set(ledger.indexOf(e), withFlags(e, w.flags()));
      }
      return new Outcome(copied, matched, knownCount, skipped, flags.updated, flags.kept);
    }
  }

  private FolderSync.FlagSync flagSync() {
    if (sink.followsFlagChanges()) {
      return FolderSync.FlagSync.REFRESH;
    }
    return noFlagSync ? FolderSync.FlagSync.NONE : FolderSync.FlagSync.MERGE;
  }

  private static LedgerEntry withFlags(LedgerEntry e, Set<String> flags) {
    return new LedgerEntry(
        e.sourceAccount(),
        e.destAccount(),
        e.sourceFolder(),
        e.sourceUidValidity(),
        e.sourceUid(),
        e.destFolder(),
        e.destUidValidity(),
        e.destUid(),
        e.sha256(),
        e.key(),
        e.outcome(),
        flags);
  }

  private void record(
      MessageRef ref,
      String destFolder,
      Long destUid,
      LedgerEntry.Outcome outcome,
      Set<String> flags) {
    ledger.add(
        new LedgerEntry(
            SOURCE_ACCOUNT,
            DEST_ACCOUNT,
            ref.folder().toString(),
            ref.uidValidity(),
            ref.uid(),
            destFolder,
            1L,
            destUid,
            null,
            ref.contentKey(),
            outcome,
            flags == null ? null : FlagMerge.carried(flags)));
  }
}

package io.mailferry.sync;

import io.mailferry.mail.MessageRef;
import io.mailferry.sink.SinkFolder;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Carries out the {@link Decision.FlagsChanged} of a chunk on the destination folder: reads the
 * destination's flags of those messages in one command, merges ({@link FlagMerge}) and stores only
 * what differs, one UID STORE per message changed. Repeating it is harmless: a run killed after the
 * STORE and before its ledger row finds the destination already as merged, and stores nothing.
 */
public final class FlagUpdates {

  static final String NO_UID_EDITS =
      "flags changed at the source not followed: the destination cannot address its messages by"
          + " UID (no UIDPLUS)";
  static final String NO_UID =
      "flags changed at the source not followed: the destination gave no UID for the copy";
  static final String OTHER_UIDVALIDITY =
      "flags changed at the source not followed: the destination folder's UIDVALIDITY changed"
          + " since the copy";

  private FlagUpdates() {}

  /** A message the ledger has whose flags changed at the source. */
  public record Pending(MessageRef source, Decision.FlagsChanged decision) {}

  /**
   * The ledger's new base for one message's next merge: the source's flags now, which the
   * destination has followed. Not the merged flags: after a merge that kept the destination's own
   * changes, those would read as a change at the source on the next run and be taken back.
   */
  public record Written(MessageRef source, Set<String> flags) {}

  /** What {@link #apply} did, for the ledger and the tally. */
  public static final class Outcome {
    public final List<Written> written = new ArrayList<>();

    /** Messages whose destination flags took the source's changes. */
    public int updated;

    /** Messages changed at the destination too, whose destination changes were kept. */
    public int kept;

    /** One text per message concerned, for the tally. */
    public final List<String> warnings = new ArrayList<>();
  }

  public static Outcome apply(SinkFolder destination, List<Pending> pending) {
    Outcome out = new Outcome();
    if (pending.isEmpty()) {
      return out;
    }
    if (!destination.editsByUid()) {
      pending.forEach(p -> out.warnings.add(NO_UID_EDITS));
      return out;
    }
    long uidValidity = destination.uidValidity();
    List<Pending> addressable = new ArrayList<>();
    for (Pending p : pending) {
      Decision.FlagsChanged d = p.decision();
      if (d.destUid() == null) {
        out.warnings.add(NO_UID);
      } else if (d.destUidValidity() != null && d.destUidValidity() != uidValidity) {
        out.warnings.add(OTHER_UIDVALIDITY);
      } else {
        addressable.add(p);
      }
    }
    if (addressable.isEmpty()) {
      return out;
    }
    Map<Long, Set<String>> now =
        destination.flagsOf(addressable.stream().map(p -> p.decision().destUid()).toList());
    SinkFolder.FlagFilter filter = destination.flagFilter();
    for (Pending p : addressable) {
      long uid = p.decision().destUid();
      Set<String> atDestination = now.get(uid);
      if (atDestination == null) {
        out.kept++; // deleted at the destination since: its user's decision stands
        continue;
      }
      FlagMerge.Result merged =
          FlagMerge.merge(p.source().flags(), atDestination, p.decision().lastWritten());
      Set<String> dropped = new LinkedHashSet<>();
      Set<String> wanted = new TreeSet<>(filter.keep(merged.flags(), dropped));
      for (String flag : dropped) {
        out.warnings.add("flag " + flag + " cannot be stored at the destination: dropped");
      }
      Set<String> have = FlagMerge.carried(atDestination);
      Set<String> add = new TreeSet<>(wanted);
      add.removeAll(have);
      Set<String> remove = new TreeSet<>(have);
      remove.removeAll(wanted);
      if (!add.isEmpty() || !remove.isEmpty()) {
        destination.storeFlags(uid, add, remove);
        out.updated++;
      }
      if (merged.change() == FlagMerge.Change.BOTH) {
        out.kept++;
      }
      out.written.add(new Written(p.source(), FlagMerge.carried(p.source().flags())));
    }
    return out;
  }
}

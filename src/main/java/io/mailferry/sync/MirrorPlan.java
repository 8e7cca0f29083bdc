package io.mailferry.sync;

import io.mailferry.ledger.LedgerEntry;
import io.mailferry.mail.ContentKey;
import io.mailferry.mail.MessageRef;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a --mirror pass does (issue 19), decided over the source's listings and the ledger before
 * anything is copied: a message this job copied that left its source folder and appeared in another
 * (same Message-ID, size and date) is moved at the destination, not copied again; one that appeared
 * nowhere is expunged there; and a folder that would lose too large a share of its messages in one
 * run is held, so a source that lists a folder empty by mistake cannot empty the destination. Plain
 * code: listing, asking the ledger and carrying it out are the caller's.
 */
public final class MirrorPlan {

  private MirrorPlan() {}

  /**
   * One source folder as the pass found it.
   *
   * @param known how many messages the ledger has of it under its UIDVALIDITY now
   * @param gone what the ledger has of it (under its UIDVALIDITY now) that its listing no longer
   *     shows; empty when the listing was incomplete (what it missed is not gone)
   * @param fresh what its listing shows that the ledger does not have
   */
  public record Folder(
      String ledgerKey, long known, List<LedgerEntry> gone, List<MessageRef> fresh) {}

  /** A message that moved at the source: its ledger row, and where it is now. */
  public record Move(LedgerEntry from, String toLedgerKey, MessageRef to) {}

  /**
   * @param expunges by source folder (ledger key): the ledger rows of messages gone from the source
   * @param held by source folder: why its expunges were not made (the guard)
   */
  public record Result(
      List<Move> moves, Map<String, List<LedgerEntry>> expunges, Map<String, String> held) {

    public boolean isEmpty() {
      return moves.isEmpty() && expunges.isEmpty() && held.isEmpty();
    }
  }

  public static Result decide(List<Folder> folders, int maxDeletePercent) {
    // Where a fresh message could have come from: by key, only keys with a Message-ID (size and
    // date alone are too weak to move a message on).
    Map<ContentKey, Deque<Candidate>> fresh = new HashMap<>();
    for (Folder f : folders) {
      for (MessageRef ref : f.fresh()) {
        if (ref.messageId() != null) {
          fresh
              .computeIfAbsent(ref.contentKey(), k -> new ArrayDeque<>())
              .add(new Candidate(f.ledgerKey(), ref));
        }
      }
    }
    List<Move> moves = new ArrayList<>();
    Map<String, List<LedgerEntry>> expunges = new LinkedHashMap<>();
    Map<String, String> held = new LinkedHashMap<>();
    for (Folder f : folders) {
      List<LedgerEntry> lost = new ArrayList<>();
      for (LedgerEntry gone : f.gone()) {
        Deque<Candidate> candidates = fresh.get(gone.key());
        Candidate to = candidates == null ? null : candidates.poll();
        if (to != null) {
          moves.add(new Move(gone, to.ledgerKey(), to.ref()));
        } else {
          lost.add(gone);
        }
      }
      if (lost.isEmpty()) {
        continue;
      }
      String refusal = refusal(lost.size(), f.known(), maxDeletePercent);
      if (refusal != null) {
        held.put(f.ledgerKey(), refusal);
      } else {
        expunges.put(f.ledgerKey(), lost);
      }
    }
    return new Result(moves, expunges, held);
  }

  /**
   * The guard: why {@code lost} of the {@code known} messages copied from a folder are not removed
   * in one run, or null when they are within --mirror-max-delete.
   */
  public static String refusal(long lost, long known, int maxDeletePercent) {
    if (lost * 100L <= (long) maxDeletePercent * known) {
      return null;
    }
    return String.format(
        Locale.ROOT,
        "--mirror left the folder as it was: %d of the %d messages copied from it are gone from"
            + " the source (%d%%, more than --mirror-max-delete %d%%); if the source really lost"
            + " them, run again with --mirror-max-delete %d",
        lost,
        known,
        Math.round(lost * 100.0 / known),
        maxDeletePercent,
        Math.min(100, (int) Math.ceil(lost * 100.0 / known)));
  }

  private record Candidate(String ledgerKey, MessageRef ref) {}
}

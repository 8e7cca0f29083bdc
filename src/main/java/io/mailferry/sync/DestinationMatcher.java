package io.mailferry.sync;

import io.mailferry.ledger.LedgerEntry;
import io.mailferry.mail.ContentKey;
import io.mailferry.mail.MessageRef;
import io.mailferry.sink.SinkFolder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds source messages that are already in the destination folder although the ledger does not say
 * so: copied by another tool, by a run whose state was lost, or before a UIDVALIDITY change. Each
 * destination message matches at most one source message, so exact duplicates at the source are all
 * copied. Not thread-safe: one partition owns it.
 */
public final class DestinationMatcher {

  private final SinkFolder destination;
  private final Map<ContentKey, Deque<Long>> unclaimed = new HashMap<>();
  private final Map<ContentKey, Integer> sourceKeyCounts = new HashMap<>();
  private final Map<Long, String> shaCache = new HashMap<>();

  /**
   * @param claimed ledger entries that placed messages in this destination folder; those from this
   *     source folder under an older UIDVALIDITY are not claims any more: their messages can be
   *     matched again by content
   */
  public DestinationMatcher(
      SinkFolder destination,
      List<SinkFolder.Stored> stored,
      List<LedgerEntry> claimed,
      String sourceFolder,
      long currentUidValidity) {
    this.destination = destination;
    Set<Long> claimedUids = new HashSet<>();
    Map<ContentKey, Integer> claimedWithoutUid = new HashMap<>();
    for (LedgerEntry e : claimed) {
      boolean stale =
          e.sourceFolder().equals(sourceFolder) && e.sourceUidValidity() != currentUidValidity;
      if (stale) {
        continue;
      }
      if (e.destUid() != null) {
        claimedUids.add(e.destUid());
      } else {
        claimedWithoutUid.merge(e.key(), 1, Integer::sum);
      }
    }
    for (SinkFolder.Stored s : stored) {
      if (claimedUids.contains(s.uid())) {
        continue;
      }
      // Without UIDPLUS the ledger knows how many, not which: skip that many of the key.
      Integer skip = claimedWithoutUid.get(s.key());
      if (skip != null && skip > 0) {
        claimedWithoutUid.put(s.key(), skip - 1);
        continue;
      }
      unclaimed.computeIfAbsent(s.key(), k -> new ArrayDeque<>()).add(s.uid());
    }
  }

  /** Tells the matcher every source message of the folder, so it knows which keys repeat. */
  public void noteSource(List<MessageRef> refs) {
    for (MessageRef ref : refs) {
      sourceKeyCounts.merge(ref.contentKey(), 1, Integer::sum);
    }
  }

  public boolean hasCandidates(MessageRef ref) {
    Deque<Long> uids = unclaimed.get(ref.contentKey());
    return uids != null && !uids.isEmpty();
  }

  /**
   * A match that needs no bytes: a Message-ID, one candidate, and no other source message with the
   * same key. Returns the destination UID it claims, or null.
   */
  public Long matchByKey(MessageRef ref) {
    ContentKey key = ref.contentKey();
    Deque<Long> uids = unclaimed.get(key);
    if (key.hasMessageId()
        && uids != null
        && uids.size() == 1
        && sourceKeyCounts.getOrDefault(key, 1) == 1) {
      return uids.poll();
    }
    return null;
  }

  /** Settles an ambiguous match by SHA-256; returns the destination UID it claims, or null. */
  public Long matchBySha(MessageRef ref, String sha256) {
    Deque<Long> uids = unclaimed.get(ref.contentKey());
    if (uids == null) {
      return null;
    }
    for (Long uid : new ArrayList<>(uids)) {
      String sha = shaCache.computeIfAbsent(uid, destination::sha256);
      if (sha256.equals(sha)) {
        uids.remove(uid);
        return uid;
      }
    }
    return null;
  }
}

package io.mailferry.ledger;

import io.mailferry.mail.ContentKey;
import io.mailferry.mail.FolderStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What was copied where. Writes join the caller's transaction, so a chunk's rows commit together
 * with its checkpoint. Thread-safe (stateless over a JdbcTemplate).
 */
public class Ledger {

  private final JdbcTemplate jdbc;

  public Ledger(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  /** Source UIDs of one folder, under one UIDVALIDITY, that are already at the destination. */
  public Set<Long> knownUids(
      String sourceAccount, String destAccount, String sourceFolder, long uidValidity) {
    return new HashSet<>(
        jdbc.queryForList(
            "SELECT source_uid FROM mf_ledger WHERE source_account = ? AND dest_account = ?"
                + " AND source_folder = ? AND source_uidvalidity = ?",
            Long.class,
            sourceAccount,
            destAccount,
            sourceFolder,
            uidValidity));
  }

  /**
   * The source date (epoch seconds) of each message of one folder that the ledger holds, for
   * deciding which a POP3 source may delete. Only committed rows are seen.
   */
  public Map<Long, Instant> knownDates(
      String sourceAccount, String destAccount, String sourceFolder, long uidValidity) {
    Map<Long, Instant> dates = new HashMap<>();
    jdbc.query(
        "SELECT source_uid, internal_date FROM mf_ledger WHERE source_account = ? AND dest_account = ?"
            + " AND source_folder = ? AND source_uidvalidity = ?",
        rs -> {
          dates.put(rs.getLong(1), Instant.ofEpochSecond(rs.getLong(2)));
        },
        sourceAccount,
        destAccount,
        sourceFolder,
        uidValidity);
    return dates;
  }

  /** Every entry that placed a message in one destination folder. */
  public List<LedgerEntry> entriesIn(String sourceAccount, String destAccount, String destFolder) {
    return jdbc.query(
        SELECT_ENTRY + " WHERE source_account = ? AND dest_account = ? AND dest_folder = ?",
        (rs, i) -> entry(sourceAccount, destAccount, rs),
        sourceAccount,
        destAccount,
        destFolder);
  }

  /**
   * What the ledger holds of one source folder under one UIDVALIDITY, by source UID: where each
   * message went and the flags last written there, for a re-run's flag merge.
   */
  public Map<Long, LedgerEntry> entriesFrom(
      String sourceAccount, String destAccount, String sourceFolder, long uidValidity) {
    Map<Long, LedgerEntry> entries = new HashMap<>();
    jdbc.query(
        SELECT_ENTRY
            + " WHERE source_account = ? AND dest_account = ? AND source_folder = ?"
            + " AND source_uidvalidity = ?",
        rs -> {
          LedgerEntry e = entry(sourceAccount, destAccount, rs);
          entries.put(e.sourceUid(), e);
        },
        sourceAccount,
        destAccount,
        sourceFolder,
        uidValidity);
    return entries;
  }

  private static final String SELECT_ENTRY =
      "SELECT source_folder, source_uidvalidity, source_uid, dest_folder, dest_uidvalidity,"
          + " dest_uid, sha256, message_id, size_bytes, internal_date, outcome, dest_flags"
          + " FROM mf_ledger";

  private static LedgerEntry entry(String sourceAccount, String destAccount, ResultSet rs)
      throws SQLException {
    return new LedgerEntry(
        sourceAccount,
        destAccount,
        rs.getString(1),
        rs.getLong(2),
        rs.getLong(3),
        rs.getString(4),
        rs.getObject(5, Long.class),
        rs.getObject(6, Long.class),
        rs.getString(7),
        new ContentKey(rs.getString(8), rs.getLong(9), rs.getLong(10)),
        LedgerEntry.Outcome.valueOf(rs.getString(11)),
        flagsRead(rs.getString(12)));
  }

  /**
   * After a re-run's flag merge: what is now written at the destination for these messages of one
   * source folder, by source UID. Joins the caller's transaction, like {@link #record}.
   */
  public void recordFlags(
      String sourceAccount,
      String destAccount,
      String sourceFolder,
      long uidValidity,
      Map<Long, Set<String>> flagsByUid) {
    if (flagsByUid.isEmpty()) {
      return;
    }
    List<Map.Entry<Long, Set<String>>> rows = List.copyOf(flagsByUid.entrySet());
    jdbc.batchUpdate(
        "UPDATE mf_ledger SET dest_flags = ? WHERE source_account = ? AND dest_account = ?"
            + " AND source_folder = ? AND source_uidvalidity = ? AND source_uid = ?",
        rows,
        rows.size(),
        (ps, row) -> {
          ps.setString(1, flagsWritten(row.getValue()));
          ps.setString(2, sourceAccount);
          ps.setString(3, destAccount);
          ps.setString(4, sourceFolder);
          ps.setLong(5, uidValidity);
          ps.setLong(6, row.getKey());
        });
  }

  /**
   * Of these content keys (each with a Message-ID), those the ledger holds from another source
   * folder of the pair: a message copied now that was copied before from elsewhere, so moved (or
   * copied) here at the source.
   */
  public Set<ContentKey> copiedFromElsewhere(
      String sourceAccount, String destAccount, String sourceFolder, List<ContentKey> keys) {
    List<ContentKey> withId = keys.stream().filter(ContentKey::hasMessageId).toList();
    if (withId.isEmpty()) {
      return Set.of();
    }
    Set<ContentKey> wanted = new HashSet<>(withId);
    Set<ContentKey> found = new HashSet<>();
    String marks = String.join(",", java.util.Collections.nCopies(withId.size(), "?"));
    List<Object> args =
        new java.util.ArrayList<>(List.of(sourceAccount, destAccount, sourceFolder));
    withId.forEach(k -> args.add(k.messageId()));
    jdbc.query(
        "SELECT message_id, size_bytes, internal_date FROM mf_ledger WHERE source_account = ?"
            + " AND dest_account = ? AND source_folder <> ? AND message_id IN ("
            + marks
            + ")",
        rs -> {
          ContentKey k = new ContentKey(rs.getString(1), rs.getLong(2), rs.getLong(3));
          if (wanted.contains(k)) {
            found.add(k);
          }
        },
        args.toArray());
    return found;
  }

  /** A --mirror decision written before the destination is touched (see sql/common/V5). */
  public enum MirrorState {
    /** Gone from the source: being expunged at the destination. */
    GONE,
    /** Moved at the source: being moved at the destination. */
    MOVING
  }

  private static final String BY_SOURCE_KEY =
      " WHERE source_account = ? AND dest_account = ? AND source_folder = ?"
          + " AND source_uidvalidity = ? AND source_uid = ?";

  /** Writes a --mirror decision on these rows; commit it before acting on it. */
  public void markMirror(List<LedgerEntry> rows, MirrorState state) {
    bySourceKey("UPDATE mf_ledger SET mirror_state = '" + state.name() + "'", rows);
  }

  /** The rows a --mirror pass left in this state (a run killed half-way). */
  public List<LedgerEntry> inMirrorState(
      String sourceAccount, String destAccount, MirrorState state) {
    return jdbc.query(
        SELECT_ENTRY + " WHERE source_account = ? AND dest_account = ? AND mirror_state = ?",
        (rs, i) -> entry(sourceAccount, destAccount, rs),
        sourceAccount,
        destAccount,
        state.name());
  }

  /** The messages of these rows are no longer at the destination: the ledger forgets them. */
  public void forget(List<LedgerEntry> rows) {
    bySourceKey("DELETE FROM mf_ledger", rows);
  }

  /** A --mirror decision given up: the rows are plain rows again. */
  public void clearMirror(List<LedgerEntry> rows) {
    bySourceKey("UPDATE mf_ledger SET mirror_state = NULL", rows);
  }

  /**
   * A message moved at the source and then at the destination: its row now names where it is at
   * both, keeping the flags last written (the move kept them), and no --mirror state.
   */
  public void moved(
      LedgerEntry from,
      String toSourceFolder,
      long toUidValidity,
      long toUid,
      String toDestFolder,
      Long destUidValidity,
      Long destUid) {
    jdbc.update(
        "UPDATE mf_ledger SET source_folder = ?, source_uidvalidity = ?, source_uid = ?,"
            + " dest_folder = ?, dest_uidvalidity = ?, dest_uid = ?, mirror_state = NULL"
            + BY_SOURCE_KEY,
        toSourceFolder,
        toUidValidity,
        toUid,
        toDestFolder,
        destUidValidity,
        destUid,
        from.sourceAccount(),
        from.destAccount(),
        from.sourceFolder(),
        from.sourceUidValidity(),
        from.sourceUid());
  }

  private void bySourceKey(String statement, List<LedgerEntry> rows) {
    if (rows.isEmpty()) {
      return;
    }
    jdbc.batchUpdate(
        statement + BY_SOURCE_KEY,
        rows,
        rows.size(),
        (ps, e) -> {
          ps.setString(1, e.sourceAccount());
          ps.setString(2, e.destAccount());
          ps.setString(3, e.sourceFolder());
          ps.setLong(4, e.sourceUidValidity());
          ps.setLong(5, e.sourceUid());
        });
  }

  /** The column holds this much; a longer set of flags is kept as "not known". */
  static final int MAX_FLAGS_TEXT = 4000;

  /** Space-separated in a fixed order; null for null or for a set too long to keep. */
  static String flagsWritten(Set<String> flags) {
    if (flags == null) {
      return null;
    }
    String text = String.join(" ", new TreeSet<>(flags));
    return text.length() > MAX_FLAGS_TEXT ? null : text;
  }

  static Set<String> flagsRead(String text) {
    if (text == null) {
      return null;
    }
    Set<String> flags = new HashSet<>();
    for (String f : text.split(" ")) {
      if (!f.isEmpty()) {
        flags.add(f);
      }
    }
    return flags;
  }

  public void record(List<LedgerEntry> entries) {
    if (entries.isEmpty()) {
      return;
    }
    Timestamp now = Timestamp.from(Instant.now());
    jdbc.batchUpdate(
        "INSERT INTO mf_ledger (source_account, dest_account, source_folder, source_uidvalidity, source_uid,"
            + " dest_folder, dest_uidvalidity, dest_uid, sha256, size_bytes, internal_date, message_id, outcome,"
            + " recorded_at, dest_flags) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        entries,
        entries.size(),
        (ps, e) -> {
          ps.setString(1, e.sourceAccount());
          ps.setString(2, e.destAccount());
          ps.setString(3, e.sourceFolder());
          ps.setLong(4, e.sourceUidValidity());
          ps.setLong(5, e.sourceUid());
          ps.setString(6, e.destFolder());
          ps.setObject(7, e.destUidValidity());
          ps.setObject(8, e.destUid());
          ps.setString(9, e.sha256());
          ps.setLong(10, e.key().size());
          ps.setLong(11, e.key().internalDateEpochSecond());
          ps.setString(12, e.key().messageId());
          ps.setString(13, e.outcome().name());
          ps.setTimestamp(14, now);
          ps.setString(15, flagsWritten(e.destFlags()));
        });
  }

  /**
   * The source folder's STATUS when a run last copied every message of it, or null. A hint only:
   * see {@link #recordComplete}.
   */
  public CompleteFolder completeFolder(
      String sourceAccount, String destAccount, String sourceFolder) {
    List<CompleteFolder> rows =
        jdbc.query(
            "SELECT uidvalidity, uidnext, messages, highest_modseq, size_bytes FROM mf_folder_state"
                + " WHERE source_account = ? AND dest_account = ? AND source_folder = ?",
            (rs, i) ->
                new CompleteFolder(
                    new FolderStatus(
                        rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getObject(4, Long.class)),
                    rs.getLong(5)),
            sourceAccount,
            destAccount,
            sourceFolder);
    return rows.isEmpty() ? null : rows.get(0);
  }

  /**
   * Remembers that every message the folder held at {@code status} (asked before it was listed) is
   * in the ledger. Written after the folder's last chunk committed.
   */
  public void recordComplete(
      String sourceAccount, String destAccount, String sourceFolder, CompleteFolder folder) {
    forgetComplete(sourceAccount, destAccount, sourceFolder);
    FolderStatus status = folder.status();
    jdbc.update(
        "INSERT INTO mf_folder_state (source_account, dest_account, source_folder, uidvalidity, uidnext,"
            + " messages, highest_modseq, size_bytes, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        sourceAccount,
        destAccount,
        sourceFolder,
        status.uidValidity(),
        status.uidNext(),
        status.messages(),
        status.highestModSeq(),
        folder.bytes(),
        Timestamp.from(Instant.now()));
  }

  /** The folder was not copied completely this time: its next run lists it. */
  public void forgetComplete(String sourceAccount, String destAccount, String sourceFolder) {
    jdbc.update(
        "DELETE FROM mf_folder_state WHERE source_account = ? AND dest_account = ? AND source_folder = ?",
        sourceAccount,
        destAccount,
        sourceFolder);
  }

  /** A folder's STATUS when all of it was copied, and how many bytes it held. */
  public record CompleteFolder(FolderStatus status, long bytes) {}

  /**
   * Moves the rows of one source folder from an older key to its key now, unless rows under the new
   * key exist already (then the move was made, or the folder is new). Idempotent.
   *
   * @return how many message rows moved
   */
  public int renameSourceFolder(
      String sourceAccount, String destAccount, String oldKey, String newKey) {
    Long present =
        jdbc.queryForObject(
            "SELECT COUNT(*) FROM mf_ledger WHERE source_account = ? AND dest_account = ?"
                + " AND source_folder = ?",
            Long.class,
            sourceAccount,
            destAccount,
            newKey);
    if (present != null && present > 0) {
      return 0;
    }
    jdbc.update(
        "UPDATE mf_folder_state SET source_folder = ? WHERE source_account = ? AND dest_account = ?"
            + " AND source_folder = ? AND NOT EXISTS (SELECT 1 FROM mf_folder_state s WHERE s.source_account = ?"
            + " AND s.dest_account = ? AND s.source_folder = ?)",
        newKey,
        sourceAccount,
        destAccount,
        oldKey,
        sourceAccount,
        destAccount,
        newKey);
    return jdbc.update(
        "UPDATE mf_ledger SET source_folder = ? WHERE source_account = ? AND dest_account = ?"
            + " AND source_folder = ?",
        newKey,
        sourceAccount,
        destAccount,
        oldKey);
  }

  /** How many messages of this source → destination pair the ledger holds. */
  public long count(String sourceAccount, String destAccount) {
    Long n =
        jdbc.queryForObject(
            "SELECT COUNT(*) FROM mf_ledger WHERE source_account = ? AND dest_account = ?",
            Long.class,
            sourceAccount,
            destAccount);
    return n == null ? 0 : n;
  }
}

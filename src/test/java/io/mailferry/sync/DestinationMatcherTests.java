package io.mailferry.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailferry.ledger.LedgerEntry;
import io.mailferry.mail.ContentKey;
import io.mailferry.mail.FolderPath;
import io.mailferry.mail.MessageRef;
import io.mailferry.mail.RawMessage;
import io.mailferry.sink.SinkFolder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DestinationMatcherTests {

  private static final String SOURCE_FOLDER = "INBOX";
  private static final long CURRENT_UIDVALIDITY = 7;
  private static final Instant DATE = Instant.parse("2024-03-01T09:30:00Z");

  /** A destination folder that only knows what it holds and the SHA-256 of each message. */
  static final class FakeSinkFolder implements SinkFolder {
    final Map<Long, Stored> stored = new LinkedHashMap<>();
    final Map<Long, String> shas = new LinkedHashMap<>();
    final List<Long> shaCalls = new ArrayList<>();

    FakeSinkFolder holding(long uid, ContentKey key, String sha) {
      stored.put(uid, new Stored(uid, key));
      shas.put(uid, sha);
      return this;
    }

    @Override
    public List<Stored> index() {
      return List.copyOf(stored.values());
    }

    @Override
    public String sha256(long uid) {
      shaCalls.add(uid);
      return shas.get(uid);
    }

    @Override
    public FlagFilter flagFilter() {
      throw new UnsupportedOperationException();
    }

    @Override
    public Appended append(RawMessage message, Set<String> flags, Instant internalDate) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void close() {
      throw new UnsupportedOperationException();
    }
  }

  private static MessageRef ref(long uid, String messageId, long size) {
    return new MessageRef(
        FolderPath.INBOX, CURRENT_UIDVALIDITY, uid, size, DATE, Set.of("\\Seen"), messageId);
  }

  private static ContentKey key(String messageId, long size) {
    return new ContentKey(messageId, size, DATE.getEpochSecond());
  }

  private static LedgerEntry claim(
      String sourceFolder, long uidValidity, long sourceUid, Long destUid, ContentKey key) {
    return new LedgerEntry(
        "alice@old.example.org:993",
        "alice@new.example.org:993",
        sourceFolder,
        uidValidity,
        sourceUid,
        "INBOX",
        destUid == null ? null : 1L,
        destUid,
        null,
        key,
        LedgerEntry.Outcome.COPIED,
        null);
  }

  private static DestinationMatcher matcher(
      FakeSinkFolder sink, List<LedgerEntry> claims, MessageRef... source) {
    DestinationMatcher m =
        new DestinationMatcher(sink, sink.index(), claims, SOURCE_FOLDER, CURRENT_UIDVALIDITY);
    m.noteSource(List.of(source));
    return m;
  }

  @Test
  void
      of_two_exact_duplicates_at_the_source_only_the_first_matches_the_single_copy_at_the_destination() {
    FakeSinkFolder sink =
        new FakeSinkFolder().holding(41, key("<dup@example.org>", 1200), "sha-dup");
    MessageRef first = ref(1, "<dup@example.org>", 1200);
    MessageRef second = ref(2, "<dup@example.org>", 1200);
    DestinationMatcher m = matcher(sink, List.of(), first, second);

    // The key repeats at the source: no match without bytes.
    assertThat(m.matchByKey(first)).isNull();
    assertThat(m.hasCandidates(first)).isTrue();
    assertThat(m.matchBySha(first, "sha-dup")).isEqualTo(41L);

    assertThat(m.matchByKey(second)).isNull();
    assertThat(m.hasCandidates(second)).isFalse();
    assertThat(m.matchBySha(second, "sha-dup")).as("the second copy must be appended").isNull();
  }

  @Test
  void a_unique_message_id_size_and_date_matches_by_key_without_computing_any_sha() {
    FakeSinkFolder sink =
        new FakeSinkFolder()
            .holding(41, key("<a@example.org>", 1200), "sha-a")
            .holding(42, key("<b@example.org>", 800), "sha-b");
    MessageRef a = ref(1, "<a@example.org>", 1200);
    MessageRef b = ref(2, "<b@example.org>", 800);
    DestinationMatcher m = matcher(sink, List.of(), a, b);

    assertThat(m.matchByKey(b)).isEqualTo(42L);
    assertThat(m.matchByKey(a)).isEqualTo(41L);
    assertThat(m.hasCandidates(a)).isFalse();
    assertThat(m.matchByKey(a))
        .as("a destination message matches one source message only")
        .isNull();
    assertThat(sink.shaCalls).isEmpty();
  }

  @Test
  void a_different_size_or_date_is_no_candidate() {
    FakeSinkFolder sink =
        new FakeSinkFolder()
            .holding(41, key("<a@example.org>", 1200), "sha-a")
            .holding(
                42, new ContentKey("<b@example.org>", 800, DATE.getEpochSecond() + 3600), "sha-b");
    MessageRef resized = ref(1, "<a@example.org>", 1201);
    MessageRef redated = ref(2, "<b@example.org>", 800);
    DestinationMatcher m = matcher(sink, List.of(), resized, redated);

    assertThat(m.matchByKey(resized)).isNull();
    assertThat(m.hasCandidates(resized)).isFalse();
    assertThat(m.matchByKey(redated)).isNull();
    assertThat(m.hasCandidates(redated)).isFalse();
    assertThat(m.matchBySha(redated, "sha-b")).isNull();
  }

  @Test
  void a_message_without_message_id_needs_its_sha_to_match() {
    FakeSinkFolder sink =
        new FakeSinkFolder()
            .holding(41, key(null, 640), "sha-other")
            .holding(42, key(null, 640), "sha-mine");
    MessageRef noId = ref(1, null, 640);
    DestinationMatcher m = matcher(sink, List.of(), noId);

    assertThat(m.matchByKey(noId)).isNull();
    assertThat(m.hasCandidates(noId)).isTrue();
    assertThat(m.matchBySha(noId, "sha-unknown")).isNull();
    assertThat(m.matchBySha(noId, "sha-mine")).isEqualTo(42L);
    assertThat(m.matchBySha(noId, "sha-mine")).as("42 is taken").isNull();
    assertThat(m.matchBySha(noId, "sha-other")).isEqualTo(41L);
    assertThat(m.hasCandidates(noId)).isFalse();
    // Each destination SHA is computed once, however often it is compared.
    assertThat(sink.shaCalls).containsExactlyInAnyOrder(41L, 42L);
  }

  @Test
  void an_empty_message_id_needs_its_sha_to_match_too() {
    FakeSinkFolder sink = new FakeSinkFolder().holding(41, key("", 640), "sha-e");
    MessageRef emptyId = ref(1, "", 640);
    DestinationMatcher m = matcher(sink, List.of(), emptyId);

    assertThat(m.matchByKey(emptyId)).isNull();
    assertThat(m.matchBySha(emptyId, "sha-e")).isEqualTo(41L);
  }

  @Test
  void a_unique_source_key_with_two_destination_candidates_needs_its_sha() {
    FakeSinkFolder sink =
        new FakeSinkFolder()
            .holding(41, key("<a@example.org>", 1200), "sha-1")
            .holding(42, key("<a@example.org>", 1200), "sha-2");
    MessageRef a = ref(1, "<a@example.org>", 1200);
    DestinationMatcher m = matcher(sink, List.of(), a);

    assertThat(m.matchByKey(a)).isNull();
    assertThat(m.matchBySha(a, "sha-2")).isEqualTo(42L);
  }

  @Test
  void destination_uids_claimed_in_the_ledger_are_never_matched() {
    ContentKey k = key("<a@example.org>", 1200);
    FakeSinkFolder sink = new FakeSinkFolder().holding(41, k, "sha-a");
    MessageRef a = ref(9, "<a@example.org>", 1200);
    List<LedgerEntry> claims = List.of(claim(SOURCE_FOLDER, CURRENT_UIDVALIDITY, 1, 41L, k));
    DestinationMatcher m = matcher(sink, claims, a);

    assertThat(m.matchByKey(a)).isNull();
    assertThat(m.hasCandidates(a)).isFalse();
    assertThat(m.matchBySha(a, "sha-a")).isNull();
    assertThat(sink.shaCalls).isEmpty();
  }

  @Test
  void claims_from_another_source_folder_stay_claims_whatever_their_uidvalidity() {
    ContentKey k = key("<a@example.org>", 1200);
    FakeSinkFolder sink = new FakeSinkFolder().holding(41, k, "sha-a");
    MessageRef a = ref(9, "<a@example.org>", 1200);
    List<LedgerEntry> claims = List.of(claim("Archive", CURRENT_UIDVALIDITY - 1, 1, 41L, k));
    DestinationMatcher m = matcher(sink, claims, a);

    assertThat(m.matchByKey(a)).isNull();
    assertThat(m.hasCandidates(a)).isFalse();
  }

  @Test
  void claims_from_this_source_folder_under_an_old_uidvalidity_are_not_claims() {
    ContentKey k = key("<a@example.org>", 1200);
    ContentKey noId = key(null, 300);
    FakeSinkFolder sink = new FakeSinkFolder().holding(41, k, "sha-a").holding(42, noId, "sha-n");
    MessageRef a = ref(1, "<a@example.org>", 1200);
    MessageRef n = ref(2, null, 300);
    List<LedgerEntry> oldClaims =
        List.of(
            claim(SOURCE_FOLDER, CURRENT_UIDVALIDITY - 1, 100, 41L, k),
            claim(SOURCE_FOLDER, CURRENT_UIDVALIDITY - 1, 101, null, noId));
    DestinationMatcher m = matcher(sink, oldClaims, a, n);

    assertThat(m.matchByKey(a)).isEqualTo(41L);
    assertThat(m.hasCandidates(n)).isTrue();
    assertThat(m.matchBySha(n, "sha-n")).isEqualTo(42L);
  }

  @Test
  void claims_without_destination_uid_hide_that_many_messages_of_their_key() {
    ContentKey k = key(null, 500);
    FakeSinkFolder sink =
        new FakeSinkFolder()
            .holding(41, k, "sha-x")
            .holding(42, k, "sha-x")
            .holding(43, k, "sha-x")
            .holding(44, key(null, 501), "sha-y");
    List<LedgerEntry> twoClaims =
        List.of(
            claim(SOURCE_FOLDER, CURRENT_UIDVALIDITY, 1, null, k), claim("Archive", 3, 1, null, k));
    MessageRef first = ref(10, null, 500);
    MessageRef second = ref(11, null, 500);
    DestinationMatcher m = matcher(sink, twoClaims, first, second);

    Long matched = m.matchBySha(first, "sha-x");
    assertThat(matched).isIn(41L, 42L, 43L);
    assertThat(m.hasCandidates(second)).as("two of the three are claimed").isFalse();
    assertThat(m.matchBySha(second, "sha-x")).isNull();
  }

  @Test
  void claims_without_destination_uid_for_every_copy_leave_nothing_to_match() {
    ContentKey k = key("<a@example.org>", 1200);
    FakeSinkFolder sink = new FakeSinkFolder().holding(41, k, "sha-a");
    MessageRef a = ref(9, "<a@example.org>", 1200);
    DestinationMatcher m =
        matcher(sink, List.of(claim(SOURCE_FOLDER, CURRENT_UIDVALIDITY, 1, null, k)), a);

    assertThat(m.matchByKey(a)).isNull();
    assertThat(m.hasCandidates(a)).isFalse();
    assertThat(sink.shaCalls).isEmpty();
  }
}

package io.mailferry.sync;

import static io.mailferry.testsupport.ContractMessages.message;
import static org.assertj.core.api.Assertions.assertThat;

import io.mailferry.mail.FolderPath;
import io.mailferry.mail.MessageRef;
import io.mailferry.sink.SinkFolder;
import io.mailferry.testsupport.InMemorySink;
import io.mailferry.testsupport.InMemorySource;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The flag merge of re-runs carried out over the in-memory source and destination (issue 19): the
 * source's user and the destination's user both work on a mailbox between runs, and each case
 * asserts the flags the destination holds after each run, and what the run counted.
 */
class FlagUpdatesTests {

  private static final Instant DATE = Instant.parse("2024-03-01T09:30:00Z");
  private static final byte[] ONE = message("<one@example.org>", "one", DATE, 300);

  private final InMemorySource source = new InMemorySource(false);
  private final InMemorySink sink = InMemorySink.imapLike();
  private final SyncRun run = new SyncRun(source, sink);

  /** Copies ONE (with these flags) by a first run; returns its source UID. */
  private long copied(Set<String> flags) {
    long uid = source.put("INBOX", ONE, flags, DATE);
    assertThat(run.folder("INBOX").copied()).isEqualTo(1);
    return uid;
  }

  /** What the destination's user does there: adds and removes flags of the only message. */
  private void atDestination(Set<String> add, Set<String> remove) {
    try (SinkFolder folder = sink.open("INBOX")) {
      folder.storeFlags(destUid(), add, remove);
    }
  }

  private long destUid() {
    return sink.messages("INBOX").get(0).uid();
  }

  private Set<String> destinationFlags() {
    assertThat(sink.messages("INBOX")).hasSize(1);
    return sink.messages("INBOX").get(0).flags();
  }

  @Test
  void a_flag_changed_at_the_source_only_is_stored_and_counted_as_updated() {
    long uid = copied(Set.of());
    source.setFlags("INBOX", uid, Set.of("\\Seen", "\\Flagged"));

    SyncRun.Outcome again = run.folder("INBOX");

    assertThat(destinationFlags()).containsExactlyInAnyOrder("\\Seen", "\\Flagged");
    assertThat(again.flagsUpdated()).isEqualTo(1);
    assertThat(again.flagsKept()).isZero();
    assertThat(again.copied()).isZero();
  }

  @Test
  void a_flag_changed_at_the_destination_only_stays_and_nothing_is_stored() {
    copied(Set.of("\\Seen"));
    atDestination(Set.of("\\Answered"), Set.of("\\Seen"));

    SyncRun.Outcome again = run.folder("INBOX");

    assertThat(destinationFlags()).containsExactly("\\Answered");
    assertThat(again.flagsUpdated()).isZero();
    assertThat(again.flagsKept()).isZero(); // the source did not change: nothing to weigh
  }

  @Test
  void another_flag_changed_at_each_side_keeps_both_changes_and_counts_both() {
    long uid = copied(Set.of());
    source.setFlags("INBOX", uid, Set.of("\\Seen"));
    atDestination(Set.of("\\Flagged"), Set.of());

    SyncRun.Outcome again = run.folder("INBOX");

    assertThat(destinationFlags()).containsExactlyInAnyOrder("\\Seen", "\\Flagged");
    assertThat(again.flagsUpdated()).isEqualTo(1);
    assertThat(again.flagsKept()).isEqualTo(1);
  }

  @Test
  void keywords_added_at_both_sides_are_united() {
    long uid = copied(Set.of("$Todo"));
    source.setFlags("INBOX", uid, Set.of("$Todo", "$Work"));
    atDestination(Set.of("$Home"), Set.of());

    SyncRun.Outcome again = run.folder("INBOX");

    assertThat(destinationFlags()).containsExactlyInAnyOrder("$Todo", "$Work", "$Home");
    assertThat(again.flagsUpdated()).isEqualTo(1);
    assertThat(again.flagsKept()).isEqualTo(1);
  }

  @Test
  void after_a_merge_of_both_sides_a_re_run_with_nothing_changed_stores_nothing_and_keeps_all() {
    long uid = copied(Set.of());
    source.setFlags("INBOX", uid, Set.of("\\Seen"));
    atDestination(Set.of("$Later"), Set.of());
    run.folder("INBOX");
    assertThat(destinationFlags()).containsExactlyInAnyOrder("\\Seen", "$Later");

    SyncRun.Outcome third = run.folder("INBOX");

    assertThat(destinationFlags())
        .as("the destination's keyword is not taken back by the next run")
        .containsExactlyInAnyOrder("\\Seen", "$Later");
    assertThat(third.flagsUpdated()).isZero();
  }

  @Test
  void after_a_merge_of_both_sides_a_later_change_at_the_source_keeps_the_destinations_change() {
    long uid = copied(Set.of());
    source.setFlags("INBOX", uid, Set.of("\\Seen", "\\Flagged"));
    atDestination(Set.of("$Later"), Set.of());
    run.folder("INBOX");
    source.setFlags("INBOX", uid, Set.of("\\Seen")); // unflagged at the source

    SyncRun.Outcome third = run.folder("INBOX");

    assertThat(destinationFlags()).containsExactlyInAnyOrder("\\Seen", "$Later");
    assertThat(third.flagsUpdated()).isEqualTo(1);
  }

  @Test
  void a_message_deleted_at_the_destination_since_is_counted_as_kept_and_not_copied_again() {
    long uid = copied(Set.of());
    try (SinkFolder folder = sink.open("INBOX")) {
      folder.expunge(List.of(destUid()));
    }
    source.setFlags("INBOX", uid, Set.of("\\Seen"));

    SyncRun.Outcome again = run.folder("INBOX");

    assertThat(sink.messages("INBOX")).isEmpty();
    assertThat(again.flagsKept()).isEqualTo(1);
    assertThat(again.flagsUpdated()).isZero();
    assertThat(again.copied()).isZero();
  }

  @Test
  void made_again_after_its_store_the_same_update_stores_nothing() {
    // A run killed after the STORE and before its ledger row makes the same update again.
    long uid = copied(Set.of());
    sink.ensureFolder("INBOX", false);
    MessageRef ref = ref(uid, Set.of("\\Seen"));
    var pending =
        List.of(new FlagUpdates.Pending(ref, new Decision.FlagsChanged(destUid(), 1L, Set.of())));
    try (SinkFolder folder = sink.open("INBOX")) {
      assertThat(FlagUpdates.apply(folder, pending).updated).isEqualTo(1);

      FlagUpdates.Outcome again = FlagUpdates.apply(folder, pending);

      assertThat(again.updated).isZero();
      assertThat(again.written)
          .extracting(FlagUpdates.Written::flags)
          .containsExactly(Set.of("\\Seen"));
    }
    assertThat(destinationFlags()).containsExactly("\\Seen");
  }

  @Test
  void a_copy_without_a_destination_uid_or_under_another_uidvalidity_is_left_with_a_warning() {
    long uid = copied(Set.of());
    MessageRef ref = ref(uid, Set.of("\\Seen"));
    var pending =
        List.of(
            new FlagUpdates.Pending(ref, new Decision.FlagsChanged(null, null, Set.of())),
            new FlagUpdates.Pending(ref, new Decision.FlagsChanged(destUid(), 7L, Set.of())));
    try (SinkFolder folder = sink.open("INBOX")) {

      FlagUpdates.Outcome out = FlagUpdates.apply(folder, pending);

      assertThat(out.updated).isZero();
      assertThat(out.written).isEmpty();
      assertThat(out.warnings).containsExactly(FlagUpdates.NO_UID, FlagUpdates.OTHER_UIDVALIDITY);
    }
    assertThat(destinationFlags()).isEmpty();
  }

  private static MessageRef ref(long uid, Set<String> flags) {
    return new MessageRef(
        FolderPath.INBOX, 1000, uid, ONE.length, DATE, flags, "<one@example.org>");
  }
}

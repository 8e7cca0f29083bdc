package io.mailferry.sync;

import static io.mailferry.testsupport.ContractMessages.message;
import static org.assertj.core.api.Assertions.assertThat;

import io.mailferry.mail.FolderInfo;
import io.mailferry.mail.FolderPath;
import io.mailferry.mail.FolderStatus;
import io.mailferry.mail.MessageRef;
import io.mailferry.mail.RawMessage;
import io.mailferry.testsupport.InMemorySink;
import io.mailferry.testsupport.InMemorySource;
import io.mailferry.testsupport.TestMailbox;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The per-folder decisions over the in-memory source and sink (which pass the source and sink
 * contracts): each case asserts what lands at the destination.
 */
class FolderSyncTests {

  private static final Instant DATE = Instant.parse("2024-03-01T09:30:00Z");
  private static final byte[] ONE = message("<one@example.org>", "one", DATE, 300);
  private static final byte[] TWO =
      message("<two@example.org>", "two", DATE.plusSeconds(60), 2_000);
  private static final byte[] NO_ID =
      message(null, "three, without Message-ID", DATE.plusSeconds(120), 40);

  private final InMemorySource source = new InMemorySource(true);

  private static List<String> shas(InMemorySink sink) {
    return sink.messages("INBOX").stream().map(m -> TestMailbox.sha256(m.raw())).toList();
  }

  @Test
  void new_messages_are_copied_with_their_exact_bytes_flags_and_date() {
    source.put("INBOX", ONE, Set.of("\\Seen", "$Forwarded"), DATE);
    source.put("INBOX", NO_ID, Set.of(), DATE.plusSeconds(120));
    InMemorySink sink = InMemorySink.imapLike();

    SyncRun.Outcome outcome = new SyncRun(source, sink).folder("INBOX");

    assertThat(outcome.copied()).isEqualTo(2);
    assertThat(shas(sink)).containsExactly(TestMailbox.sha256(ONE), TestMailbox.sha256(NO_ID));
    assertThat(sink.messages("INBOX"))
        .extracting(InMemorySink.Message::flags)
        .containsExactly(Set.of("\\Seen", "$Forwarded"), Set.of());
    assertThat(sink.messages("INBOX"))
        .extracting(InMemorySink.Message::internalDate)
        .containsExactly(DATE, DATE.plusSeconds(120));
  }

  /** Copies one message, flags it \Seen and \Flagged at the source, and runs again. */
  private SyncRun.Outcome reRunAfterAFlagChange(InMemorySink sink) {
    long uid = source.put("INBOX", ONE, Set.of(), DATE);
    SyncRun run = new SyncRun(source, sink);
    run.folder("INBOX");
    source.setFlags("INBOX", uid, Set.of("\\Seen", "\\Flagged"));
    return run.folder("INBOX");
  }

  @Test
  void with_no_flag_sync_a_re_run_copies_nothing_the_ledger_has_and_leaves_the_flags_it_gave() {
    InMemorySink sink = InMemorySink.imapLike();
    long uid = source.put("INBOX", ONE, Set.of(), DATE);
    SyncRun run = new SyncRun(source, sink).noFlagSync();
    run.folder("INBOX");
    source.setFlags("INBOX", uid, Set.of("\\Seen", "\\Flagged"));

    SyncRun.Outcome again = run.folder("INBOX");

    assertThat(again.known()).isEqualTo(1);
    assertThat(again.copied() + again.matched()).isZero();
    assertThat(sink.messages("INBOX"))
        .singleElement()
        .extracting(InMemorySink.Message::flags)
        .isEqualTo(Set.of());
  }

  @Test
  void a_destination_that_follows_flag_changes_gets_the_source_s_new_flags_on_a_re_run() {
    InMemorySink sink = InMemorySink.followingFlagChanges();

    SyncRun.Outcome again = reRunAfterAFlagChange(sink);

    assertThat(again.known()).isEqualTo(1);
    assertThat(sink.messages("INBOX"))
        .singleElement()
        .extracting(InMemorySink.Message::flags)
        .isEqualTo(Set.of("\\Seen", "\\Flagged"));
  }

  @Test
  void a_message_flagged_deleted_is_skipped_with_its_reason_unless_deleted_ones_are_asked_for() {
    source.put("INBOX", ONE, Set.of("\\Deleted"), DATE);
    source.put("INBOX", TWO, Set.of(), DATE.plusSeconds(60));
    InMemorySink sink = InMemorySink.imapLike();

    SyncRun.Outcome outcome = new SyncRun(source, sink).folder("INBOX");

    assertThat(outcome.skipped()).containsExactly("flagged \\Deleted (use --include-deleted)");
    assertThat(shas(sink)).containsExactly(TestMailbox.sha256(TWO));

    InMemorySink all = InMemorySink.imapLike();
    new SyncRun(source, all).includeDeleted().folder("INBOX");
    assertThat(shas(all)).containsExactly(TestMailbox.sha256(ONE), TestMailbox.sha256(TWO));
    assertThat(all.messages("INBOX").get(0).flags()).containsExactly("\\Deleted");
  }

  @Test
  void a_message_larger_than_the_destination_accepts_is_skipped_with_the_limit_in_its_reason() {
    source.put("INBOX", ONE, Set.of(), DATE);
    source.put("INBOX", TWO, Set.of(), DATE.plusSeconds(60));
    InMemorySink sink = InMemorySink.imapLike();

    SyncRun.Outcome outcome = new SyncRun(source, sink).appendLimit(1_000).folder("INBOX");

    assertThat(outcome.skipped())
        .containsExactly("larger than the destination accepts (APPENDLIMIT 1000 bytes)");
    assertThat(shas(sink)).containsExactly(TestMailbox.sha256(ONE));
  }

  @Test
  void messages_already_at_the_destination_are_recorded_as_found_and_not_copied_twice() {
    source.put("INBOX", ONE, Set.of(), DATE);
    source.put("INBOX", NO_ID, Set.of(), DATE.plusSeconds(120));
    InMemorySink sink = InMemorySink.imapLike();
    try (var folder = sink.open("INBOX")) { // copied by another tool: no ledger row says so
      folder.append(RawMessage.of(ONE), Set.of(), DATE);
      folder.append(RawMessage.of(NO_ID), Set.of(), DATE.plusSeconds(120));
    }
    SyncRun run = new SyncRun(source, sink);

    SyncRun.Outcome outcome = run.folder("INBOX");

    assertThat(outcome.matched()).as("one by Message-ID, one by SHA-256").isEqualTo(2);
    assertThat(outcome.copied()).isZero();
    assertThat(shas(sink)).containsExactly(TestMailbox.sha256(ONE), TestMailbox.sha256(NO_ID));
    assertThat(run.ledger).extracting(e -> e.destUid()).containsExactly(1L, 2L);
  }

  @Test
  void exact_duplicates_at_the_source_are_all_copied_though_the_destination_holds_one() {
    source.put("INBOX", ONE, Set.of(), DATE);
    source.put("INBOX", ONE, Set.of(), DATE);
    source.put("INBOX", ONE, Set.of(), DATE);
    InMemorySink sink = InMemorySink.imapLike();
    try (var folder = sink.open("INBOX")) {
      folder.append(RawMessage.of(ONE), Set.of(), DATE);
    }

    SyncRun.Outcome outcome = new SyncRun(source, sink).folder("INBOX");

    assertThat(outcome.matched()).isEqualTo(1);
    assertThat(outcome.copied()).isEqualTo(2);
    assertThat(shas(sink)).hasSize(3).containsOnly(TestMailbox.sha256(ONE));
  }

  @Test
  void after_a_new_uidvalidity_the_messages_copied_before_are_found_by_content_not_copied_again() {
    source.put("Work", ONE, Set.of(), DATE);
    source.put("Work", NO_ID, Set.of(), DATE.plusSeconds(120));
    InMemorySink sink = InMemorySink.imapLike();
    SyncRun run = new SyncRun(source, sink);
    run.folder("Work");
    source.recreate("Work"); // the server rebuilt the folder: same messages, new UIDVALIDITY
    source.put("Work", ONE, Set.of(), DATE);
    source.put("Work", NO_ID, Set.of(), DATE.plusSeconds(120));
    source.put("Work", TWO, Set.of(), DATE.plusSeconds(60));

    SyncRun.Outcome again = run.folder("Work");

    assertThat(again.known()).isZero();
    assertThat(again.matched()).isEqualTo(2);
    assertThat(again.copied()).isEqualTo(1);
    assertThat(sink.messages("Work"))
        .extracting(m -> TestMailbox.sha256(m.raw()))
        .containsExactly(
            TestMailbox.sha256(ONE), TestMailbox.sha256(NO_ID), TestMailbox.sha256(TWO));
  }

  @Test
  void a_re_run_where_the_ledger_has_everything_asks_nothing_of_the_destination() {
    source.put("INBOX", ONE, Set.of(), DATE);
    MessageRef ref = listed(source).get(0);
    FolderSync sync =
        new FolderSync(
            new FolderSync.Rules(false, FolderSync.FlagSync.MERGE),
            uid -> knownWithFlags(ref, ref.flags()),
            () -> {
              throw new AssertionError("asked the destination's limit");
            },
            () -> {
              throw new AssertionError("opened the destination's index");
            });

    assertThat(sync.decide(ref)).isEqualTo(new Decision.AlreadyKnown(false));
  }

  @Test
  void
      a_folder_is_unchanged_when_its_status_is_and_for_a_destination_following_flags_when_highestmodseq_is() {
    long uid = source.put("INBOX", ONE, Set.of(), DATE);
    FolderStatus copied = status(source);
    assertThat(UnchangedFolder.since(status(source), copied, false)).isTrue();
    assertThat(UnchangedFolder.since(status(source), copied, true)).isTrue();

    source.setFlags("INBOX", uid, Set.of("\\Seen"));
    assertThat(UnchangedFolder.since(status(source), copied, false))
        .as("the same messages")
        .isTrue();
    assertThat(UnchangedFolder.since(status(source), copied, true)).as("a flag changed").isFalse();

    source.put("INBOX", TWO, Set.of(), DATE.plusSeconds(60));
    assertThat(UnchangedFolder.since(status(source), copied, false)).as("a new message").isFalse();
    assertThat(UnchangedFolder.since(null, copied, false)).as("no STATUS").isFalse();
    assertThat(UnchangedFolder.since(status(source), null, false))
        .as("never copied whole")
        .isFalse();
  }

  @Test
  void without_highestmodseq_a_folder_is_never_unchanged_for_a_destination_following_flags() {
    InMemorySource noCondstore = new InMemorySource(false);
    noCondstore.put("INBOX", ONE, Set.of(), DATE);
    FolderStatus copied = status(noCondstore);

    assertThat(UnchangedFolder.since(status(noCondstore), copied, false)).isTrue();
    assertThat(UnchangedFolder.since(status(noCondstore), copied, true)).isFalse();
  }

  private static io.mailferry.ledger.LedgerEntry knownWithFlags(MessageRef ref, Set<String> flags) {
    return new io.mailferry.ledger.LedgerEntry(
        SyncRun.SOURCE_ACCOUNT,
        SyncRun.DEST_ACCOUNT,
        "INBOX",
        ref.uidValidity(),
        ref.uid(),
        "INBOX",
        1L,
        1L,
        null,
        ref.contentKey(),
        io.mailferry.ledger.LedgerEntry.Outcome.COPIED,
        flags);
  }

  private static FolderStatus status(InMemorySource source) {
    return source.status(inbox());
  }

  private static FolderInfo inbox() {
    return new FolderInfo(FolderPath.INBOX, "INBOX", null, true, true);
  }

  private static List<MessageRef> listed(InMemorySource source) {
    try (var folder = source.open(inbox())) {
      return folder.listAfter(0, uid -> false);
    }
  }
}

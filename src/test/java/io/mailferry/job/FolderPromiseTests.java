package io.mailferry.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailferry.report.FolderTally;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The end-of-folder check: the listing, the ledger and the summary agree, or the folder fails with
 * the reason.
 */
class FolderPromiseTests {

  private static FolderTally tally(long atSource, long copied, long alreadyThere, long failed) {
    FolderTally t = new FolderTally("INBOX", "INBOX");
    t.atSource = atSource;
    t.copied = copied;
    t.alreadyThere = alreadyThere;
    t.failedCount = failed;
    return t;
  }

  private static final FolderPromise.Counts NOTHING = new FolderPromise.Counts(0, 0, 0, 0);

  @Test
  void a_folder_whose_listing_ledger_and_summary_agree_passes() {
    var promise = new FolderPromise(NOTHING, Set.of(1L, 2L, 3L), 0, true);

    FolderTally end = tally(3, 2, 0, 0);
    end.skip("flagged \\Deleted (use --include-deleted)");

    assertThat(promise.disagreement(end, Set.of(1L, 2L))).isNull();
  }

  @Test
  void a_message_counted_as_copied_without_its_ledger_row_fails_the_folder() {
    var promise = new FolderPromise(NOTHING, Set.of(1L, 2L, 3L), 0, true);

    assertThat(promise.disagreement(tally(3, 3, 0, 0), Set.of(1L, 3L)))
        .isEqualTo(
            "the summary counts 3 messages as copied or already there but the ledger holds 2 of them");
  }

  @Test
  void a_listed_message_the_summary_does_not_count_fails_the_folder() {
    var promise = new FolderPromise(NOTHING, Set.of(1L, 2L, 3L, 4L), 0, true);

    assertThat(promise.disagreement(tally(4, 3, 0, 0), Set.of(1L, 2L, 3L)))
        .isEqualTo("the source listed 4 messages but the summary accounts for 3");
  }

  @Test
  void a_folder_holding_more_than_its_listing_and_summary_account_for_fails() {
    // EXISTS said 6, the listing handed over 4, all copied: "4 at source, 4 copied" would hide two.
    var promise = new FolderPromise(NOTHING, Set.of(1L, 2L, 3L, 4L), 0, true);

    assertThat(promise.disagreement(tally(6, 4, 0, 0), Set.of(1L, 2L, 3L, 4L)))
        .isEqualTo("the source holds 6 messages but the summary accounts for 4");
  }

  @Test
  void a_resumed_folder_counts_only_what_this_run_listed() {
    var before = new FolderPromise.Counts(5, 1, 0, 0);
    var promise = new FolderPromise(before, Set.of(7L, 8L), 0, false);

    assertThat(promise.disagreement(tally(8, 7, 1, 0), Set.of(7L, 8L))).isNull();
  }
}

package io.mailferry.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailferry.quota.QuotaForecast;
import io.mailferry.report.FolderTally;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The figures of a progress bar: total, done, this run's rate, and how they are shown. */
class AccountProgressTests {

  @Test
  void before_any_folder_is_listed_the_total_is_what_the_quota_step_found_left_to_write() {
    AccountProgress account = new AccountProgress("a@old → a@new");
    account.forecast(new QuotaForecast(false, List.of(), 250, 5_000_000, 0, 0, null));

    var snapshot = account.snapshot();

    assertThat(snapshot.total()).isEqualTo(250);
    assertThat(snapshot.done()).isZero();
    assertThat(snapshot.bar())
        .contains("[........................]   0% 0/250 msgs")
        .endsWith("ETA --:--");
  }

  @Test
  void a_resumed_folder_counts_what_earlier_runs_did_as_done_but_not_in_this_runs_rate() {
    AccountProgress account = new AccountProgress("a@old → a@new");
    FolderTally restored = tally(100, 40, 400_000);
    account.folderStarted(7, restored);
    account.forecast(new QuotaForecast(true, List.of(), 60, 600_000, 0, 0, null));
    account.folderMoved(7, tally(100, 70, 700_000));

    var snapshot = account.snapshot();

    assertThat(snapshot.done()).isEqualTo(70);
    assertThat(snapshot.total()).isEqualTo(100);
    assertThat(snapshot.copiedNow()).isEqualTo(30);
    assertThat(snapshot.bytesNow()).isEqualTo(300_000);
    assertThat(snapshot.percent()).isEqualTo(70);
    assertThat(snapshot.bar()).contains("[################........]  70% 70/100 msgs");
    assertThat(snapshot.line())
        .startsWith("progress a@old → a@new: 70 of 100 messages done (70%), 293 KiB copied, ");
  }

  @Test
  void time_left_is_shown_as_a_clock() {
    assertThat(AccountProgress.Snapshot.clock(-1)).isEqualTo("--:--");
    assertThat(AccountProgress.Snapshot.clock(75)).isEqualTo("1:15");
    assertThat(AccountProgress.Snapshot.clock(3 * 3600 + 62)).isEqualTo("3:01:02");
  }

  private static FolderTally tally(long atSource, long copied, long bytes) {
    FolderTally t = new FolderTally("INBOX", "INBOX");
    t.atSource = atSource;
    t.copied = copied;
    t.bytesCopied = bytes;
    return t;
  }
}

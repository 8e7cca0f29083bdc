package io.mailferry.quota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailferry.config.QuotaPolicy;
import io.mailferry.mail.MailferryException;
import io.mailferry.sink.QuotaRoot;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The pre-flight over plain values: what the sink reported per folder and what is left to write.
 */
class QuotaPreflightTests {

  record Folder(
      String destination,
      long messages,
      long bytes,
      long tooLarge,
      long tooLargeBytes,
      Long appendLimit)
      implements ToWrite {}

  private static final QuotaRoot USER =
      new QuotaRoot(
          "User quota",
          Map.of(
              QuotaRoot.STORAGE,
              new QuotaRoot.Usage(20, 250),
              QuotaRoot.MESSAGE,
              new QuotaRoot.Usage(3, 10)));
  private static final QuotaRoot SHARED =
      new QuotaRoot("Shared", Map.of(QuotaRoot.MESSAGE, new QuotaRoot.Usage(0, 5)));

  @Test
  void each_root_counts_the_folders_under_it_and_a_folder_under_two_roots_counts_in_both() {
    var work =
        List.of(
            new Folder("INBOX", 4, 40_000, 0, 0, null),
            new Folder("Shared/Team", 2, 8_000, 0, 0, null));

    QuotaForecast forecast =
        QuotaPreflight.forecastOver(
            Map.of("INBOX", List.of(USER), "Shared/Team", List.of(USER, SHARED)), work);

    assertThat(forecast.lines())
        .containsExactly(
            "quota \"User quota\": storage 20 KiB used of 250 KiB, up to 47 KiB to write, 183 KiB free after (26% full); "
                + "messages 3 used of 10, up to 6 to write, 1 free after (90% full)",
            "quota \"Shared\": messages 0 used of 5, up to 2 to write, 3 free after (40% full)");
  }

  @Test
  void
      without_the_quota_capability_the_forecast_says_so_and_keeps_the_totals_and_the_smallest_appendlimit() {
    var work =
        List.of(
            new Folder("INBOX", 1, 1_000, 1, 12_000, 10_000L),
            new Folder("Sent", 1, 2_000, 0, 0, 5_000L));

    QuotaForecast forecast = QuotaPreflight.forecastOver(null, work);

    assertThat(forecast.lines())
        .containsExactly(
            "quota: the destination does not report quotas (no QUOTA capability); up to 2 messages (3 KiB) to write",
            "quota: 1 message (12 KiB) larger than the destination accepts (APPENDLIMIT 5000 bytes) will be skipped");
  }

  @Test
  void
      with_the_stop_policy_a_run_that_would_overfill_a_root_does_not_start_and_says_what_it_lacks() {
    QuotaForecast overfilled =
        QuotaPreflight.forecastOver(
            Map.of("INBOX", List.of(SHARED)), List.of(new Folder("INBOX", 8, 8_000, 0, 0, null)));

    assertThatThrownBy(
            () ->
                QuotaPreflight.stopIfOverfilled(
                    new QuotaPolicy(QuotaPolicy.Action.STOP, 90), overfilled))
        .isInstanceOf(MailferryException.DestinationFull.class)
        .hasMessage(
            "The destination's quota \"Shared\" is too small for this migration: it lacks 3 messages; "
                + "nothing was written (--quota-policy stop). Free space or raise the quota, then run mailferry resume.");
    assertThatNoException()
        .isThrownBy(() -> QuotaPreflight.stopIfOverfilled(QuotaPolicy.DEFAULT, overfilled));
  }
}

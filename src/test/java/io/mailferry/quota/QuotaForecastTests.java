package io.mailferry.quota;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class QuotaForecastTests {

  private static final long KIB = 1024;
  private static final long MIB = 1024 * KIB;

  @Test
  void one_line_per_root_with_used_limit_to_write_free_after_and_percent_full_after() {
    var root =
        new QuotaForecast.Root(
            "User quota",
            new QuotaForecast.Resource(1_200 * KIB, 5 * 1024 * KIB, 3_100 * KIB),
            new QuotaForecast.Resource(12, 100, 40));
    var forecast = new QuotaForecast(true, List.of(root), 40, 3_100 * KIB, 0, 0, null);

    assertThat(forecast.lines())
        .containsExactly(
            "quota \"User quota\": storage 1200 KiB used of 5120 KiB, up to "
                + "3100 KiB to write, 820 KiB free after (83% full); messages 12 used of 100, up to 40 to write, "
                + "48 free after (52% full)");
    assertThat(forecast.warnings(90, false)).isEmpty();
    assertThat(forecast.warnings(80, false))
        .containsExactly("quota \"User quota\" will be 83% full after this run (--quota-warn 80)");
    assertThat(forecast.overfilled()).isEmpty();
  }

  @Test
  void a_root_that_would_overflow_says_by_how_much_and_what_is_missing() {
    var root =
        new QuotaForecast.Root(
            "User quota",
            new QuotaForecast.Resource(180 * MIB, 200 * MIB, 30 * MIB + 1),
            new QuotaForecast.Resource(3, 5, 8));
    var forecast = new QuotaForecast(true, List.of(root), 8, 30 * MIB + 1, 0, 0, null);

    assertThat(forecast.lines().get(0))
        .contains(
            "storage 180.0 MiB used of 200.0 MiB, up to 30.0 MiB to write, "
                + "over by 10.0 MiB (105% full)")
        .contains("messages 3 used of 5, up to 8 to write, over by 6 (220% full)");
    assertThat(root.missing()).isEqualTo("10.0 MiB of storage and 6 messages");
    assertThat(forecast.warnings(90, false))
        .containsExactly(
            "quota \"User quota\" is too small for this migration: "
                + "it lacks 10.0 MiB of storage and 6 messages; the run will stop when the destination is full (exit 73)");
    assertThat(forecast.overfilled()).containsExactly(root);
  }

  @Test
  void a_destination_without_quota_says_so_once_and_appendlimit_skips_are_announced() {
    var forecast = new QuotaForecast(false, List.of(), 2, 3000, 1, 12 * MIB, 10 * MIB);

    assertThat(forecast.lines())
        .containsExactly(
            "quota: the destination does not report quotas (no QUOTA capability); up to 2 messages (3 KiB) to write",
            "quota: 1 message (12.0 MiB) larger than the destination accepts (APPENDLIMIT 10485760 bytes) will be skipped");
    assertThat(new QuotaForecast(true, List.of(), 0, 0, 0, 0, null).lines())
        .containsExactly("quota: the destination sets no quota; up to 0 messages (0 KiB) to write");
  }

  @Test
  void sizes_are_binary_units_as_quota_storage_counts() {
    assertThat(QuotaForecast.size(0)).isEqualTo("0 KiB");
    assertThat(QuotaForecast.size(1)).isEqualTo("1 KiB");
    assertThat(QuotaForecast.size(10 * MIB - KIB)).isEqualTo("10239 KiB");
    assertThat(QuotaForecast.size(10 * MIB)).isEqualTo("10.0 MiB");
    assertThat(QuotaForecast.size(15L * 1024 * MIB)).isEqualTo("15.0 GiB");
  }
}

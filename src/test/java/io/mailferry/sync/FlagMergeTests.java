package io.mailferry.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** The three-way merge, case by case: source now, destination now, what mailferry last wrote. */
class FlagMergeTests {

  private static FlagMerge.Result merge(Set<String> source, Set<String> dest, Set<String> base) {
    return FlagMerge.merge(source, dest, base);
  }

  @Test
  void a_change_at_the_source_only_is_carried_to_the_destination() {
    FlagMerge.Result r = merge(Set.of("\\Seen", "\\Flagged"), Set.of(), Set.of());

    assertThat(r.change()).isEqualTo(FlagMerge.Change.FROM_SOURCE);
    assertThat(r.flags()).containsExactlyInAnyOrder("\\Seen", "\\Flagged");
  }

  @Test
  void a_removal_at_the_source_only_is_carried_too() {
    FlagMerge.Result r =
        merge(Set.of("\\Seen"), Set.of("\\Seen", "$Todo"), Set.of("\\Seen", "$Todo"));

    assertThat(r.change()).isEqualTo(FlagMerge.Change.FROM_SOURCE);
    assertThat(r.flags()).containsExactly("\\Seen");
  }

  @Test
  void a_change_at_the_destination_only_stays_as_it_is() {
    FlagMerge.Result r = merge(Set.of(), Set.of("\\Seen", "$Done"), Set.of());

    assertThat(r.change()).isEqualTo(FlagMerge.Change.NONE);
    assertThat(r.flags()).containsExactlyInAnyOrder("\\Seen", "$Done");
  }

  @Test
  void changes_at_both_keep_each_sides_change() {
    // The source's user read it and dropped $Todo; the destination's user flagged it and added
    // $Work.
    FlagMerge.Result r =
        merge(Set.of("\\Seen"), Set.of("$Todo", "\\Flagged", "$Work"), Set.of("$Todo"));

    assertThat(r.change()).isEqualTo(FlagMerge.Change.BOTH);
    assertThat(r.flags()).containsExactlyInAnyOrder("\\Seen", "\\Flagged", "$Work");
  }

  @Test
  void the_same_change_at_both_is_made_once() {
    FlagMerge.Result r = merge(Set.of("\\Answered"), Set.of("\\Answered", "$Late"), Set.of());

    assertThat(r.change()).isEqualTo(FlagMerge.Change.BOTH);
    assertThat(r.flags()).containsExactlyInAnyOrder("\\Answered", "$Late");
  }

  @Test
  void without_the_last_written_state_the_source_wins_the_system_flags_and_keywords_are_united() {
    FlagMerge.Result r =
        merge(Set.of("\\Seen", "$Source"), Set.of("\\Flagged", "$Destination"), null);

    assertThat(r.change()).isEqualTo(FlagMerge.Change.NO_BASE);
    assertThat(r.flags()).containsExactlyInAnyOrder("\\Seen", "$Source", "$Destination");
  }

  @Test
  void deleted_and_recent_take_no_part() {
    FlagMerge.Result r =
        merge(Set.of("\\Seen", "\\Deleted", "\\Recent"), Set.of("\\Deleted"), Set.of());

    assertThat(r.flags()).containsExactly("\\Seen");
    assertThat(FlagMerge.unchanged(Set.of("\\Seen", "\\Deleted"), Set.of("\\Seen"))).isTrue();
  }

  @Test
  void nothing_known_of_the_last_run_is_never_unchanged() {
    assertThat(FlagMerge.unchanged(Set.of(), null)).isFalse();
    assertThat(FlagMerge.unchanged(Set.of("\\Seen"), Set.of())).isFalse();
    assertThat(FlagMerge.unchanged(Set.of("$A", "\\Seen"), Set.of("\\Seen", "$A"))).isTrue();
  }
}

package io.mailferry.job;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What a start does with the last run of its pair. */
class RestartDecisionTests {

  @Test
  void a_pair_never_run_starts_its_first_run() {
    assertThat(RestartDecision.of(null, false)).isEqualTo(RestartDecision.FIRST);
  }

  @Test
  void
      a_failed_or_stopped_run_with_the_same_options_is_continued_and_with_other_options_abandoned() {
    assertThat(RestartDecision.of(RunState.FAILED, true)).isEqualTo(RestartDecision.RESTART);
    assertThat(RestartDecision.of(RunState.STOPPED, true)).isEqualTo(RestartDecision.RESTART);
    assertThat(RestartDecision.of(RunState.FAILED, false))
        .isEqualTo(RestartDecision.ABANDON_AND_NEXT);
    assertThat(RestartDecision.of(RunState.STOPPED, false))
        .isEqualTo(RestartDecision.ABANDON_AND_NEXT);
  }

  @Test
  void a_completed_or_abandoned_run_is_followed_by_a_new_one() {
    assertThat(RestartDecision.of(RunState.COMPLETED, true)).isEqualTo(RestartDecision.NEXT);
    assertThat(RestartDecision.of(RunState.ABANDONED, false)).isEqualTo(RestartDecision.NEXT);
  }
}

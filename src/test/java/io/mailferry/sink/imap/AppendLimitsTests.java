package io.mailferry.sink.imap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class AppendLimitsTests {

  @Test
  void a_limit_in_the_capabilities_holds_for_every_folder() {
    var caps = List.of("IMAP4REV1", "LITERAL+", "APPENDLIMIT=35651584", "UIDPLUS");
    assertThat(AppendLimits.global(caps)).isEqualTo(35_651_584L);
    assertThat(AppendLimits.perFolder(caps)).isFalse();
  }

  @Test
  void a_bare_appendlimit_means_each_folder_says_its_own() {
    var caps = List.of("IMAP4REV1", "appendlimit");
    assertThat(AppendLimits.global(caps)).isNull();
    assertThat(AppendLimits.perFolder(caps)).isTrue();
    assertThat(AppendLimits.fromStatus(10_000)).isEqualTo(10_000L);
    assertThat(AppendLimits.fromStatus(-1)).as("NIL or absent").isNull();
  }

  @Test
  void no_appendlimit_or_a_malformed_one_is_no_limit() {
    assertThat(AppendLimits.global(List.of("IMAP4REV1", "QUOTA"))).isNull();
    assertThat(AppendLimits.perFolder(List.of("IMAP4REV1", "QUOTA"))).isFalse();
    assertThat(AppendLimits.global(List.of("APPENDLIMIT=lots"))).isNull();
  }
}

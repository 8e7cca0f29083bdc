package io.mailferry.sink.imap;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailferry.sink.SinkFolder;
import org.junit.jupiter.api.Test;

class MultiAppendTests {

  @Test
  void appenduid_with_a_range_gives_each_message_its_uid_in_order() {
    assertThat(MultiAppend.appended("A7 OK [APPENDUID 38505 3955:3957] MULTIAPPEND completed", 3))
        .containsExactly(
            new SinkFolder.Appended(38505L, 3955L),
            new SinkFolder.Appended(38505L, 3956L),
            new SinkFolder.Appended(38505L, 3957L));
  }

  @Test
  void appenduid_with_single_uids_and_ranges_mixed() {
    assertThat(MultiAppend.uids("5,7:9,12", 5)).containsExactly(5L, 7L, 8L, 9L, 12L);
    assertThat(MultiAppend.uids("9:7", 3)).containsExactly(7L, 8L, 9L);
  }

  @Test
  void a_set_of_another_length_or_no_appenduid_leaves_the_uids_unknown() {
    assertThat(MultiAppend.uids("1:4", 3)).isNull();
    assertThat(MultiAppend.uids("1:2", 3)).isNull();
    assertThat(MultiAppend.appended("A7 OK done", 2))
        .containsExactly(new SinkFolder.Appended(null, null), new SinkFolder.Appended(null, null));
  }
}

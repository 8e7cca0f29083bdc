package io.mailferry.imap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class UidSetsTests {

  @Test
  void uids_are_written_as_a_compact_ascending_set_each_once() {
    assertThat(UidSets.pieces(List.of(12L, 1L, 2L, 3L, 4L, 5L, 7L, 9L, 10L, 11L, 5L)))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.set()).isEqualTo("1:5,7,9:12");
              assertThat(p.uids()).containsExactly(1L, 2L, 3L, 4L, 5L, 7L, 9L, 10L, 11L, 12L);
            });
    assertThat(UidSets.pieces(List.of())).isEmpty();
  }

  @Test
  void a_piece_names_at_most_five_hundred_uids_even_in_one_range() {
    List<UidSets.Piece> pieces = UidSets.pieces(LongStream.rangeClosed(1, 1_201).boxed().toList());

    assertThat(pieces)
        .extracting(UidSets.Piece::set)
        .containsExactly("1:500", "501:1000", "1001:1201");
  }

  @Test
  void a_piece_of_scattered_uids_stays_within_four_kilobytes() {
    List<Long> scattered = new ArrayList<>();
    for (long uid = 4_000_000_000L; scattered.size() < 450; uid += 2) {
      scattered.add(uid);
    }
    List<UidSets.Piece> pieces = UidSets.pieces(scattered);

    assertThat(pieces).hasSizeGreaterThan(1);
    assertThat(pieces).allSatisfy(p -> assertThat(p.set().length()).isLessThanOrEqualTo(4000));
    assertThat(pieces.stream().mapToInt(p -> p.uids().size()).sum()).isEqualTo(450);
    assertThat(String.join(",", pieces.stream().map(UidSets.Piece::set).toList()))
        .isEqualTo(String.join(",", scattered.stream().map(String::valueOf).toList()));
  }

  @Test
  void a_set_of_a_server_is_not_expanded_beyond_what_was_asked() {
    assertThat(UidSets.expand("5,7:9,12", 5)).containsExactly(5L, 7L, 8L, 9L, 12L);
    assertThat(UidSets.expand("1:4294967295", 500)).isNull();
    assertThat(UidSets.expand("1:x", 500)).isNull();
  }
}

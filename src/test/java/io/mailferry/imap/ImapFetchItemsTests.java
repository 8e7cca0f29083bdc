package io.mailferry.imap;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailferry.mail.MessageFlags;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * The FETCH response reader and flag parsing take whatever a server sends: any bytes give items or
 * a problem in words, never an exception; a listing built from them never throws either.
 */
class ImapFetchItemsTests {

  private static ImapFetchItems read(String line) {
    byte[] b = line.getBytes(StandardCharsets.ISO_8859_1);
    return ImapFetchItems.read(b, 0, b.length);
  }

  @Test
  void a_well_formed_listing_response_is_read_item_by_item() {
    var f =
        read(
            "* 3 FETCH (UID 17 FLAGS (\\Seen \\flagged $Forwarded) RFC822.SIZE 1234 "
                + "INTERNALDATE \" 7-Jul-2025 02:44:25 -0700\" BODY[HEADER.FIELDS (MESSAGE-ID)] {23}\r\nMessage-ID: <a@b.c>\r\n\r\n)");

    assertThat(f.problem()).isNull();
    assertThat(f.number).isEqualTo(3);
    assertThat(f.uid).isEqualTo(17);
    assertThat(f.flags).containsExactly("\\Seen", "\\Flagged", "$Forwarded");
    assertThat(f.size).isEqualTo(1234);
    assertThat(f.internalDate).isEqualTo(Instant.parse("2025-07-07T09:44:25Z"));
    assertThat(new String(f.buffer(), f.bodyStart, f.bodyLength, StandardCharsets.ISO_8859_1))
        .isEqualTo("Message-ID: <a@b.c>\r\n\r\n");
  }

  @Test
  void an_unknown_system_flag_is_dropped_never_read_as_another_one() {
    var f = read("* 1 FETCH (UID 1 FLAGS (\\Foo \\Seen \\Recent \\Dx))");

    assertThat(f.flags).containsExactly("\\Seen");
    assertThat(f.droppedFlags).containsExactly("\\Foo", "\\Dx");
  }

  @Test
  void a_nil_a_nonsense_and_a_year_0000_date_are_unreadable_and_the_other_items_still_read() {
    for (String date :
        List.of(
            "NIL",
            "\"99-Foo-2024 99:99:99 +9999\"",
            "\"01-Jan-0000 00:00:00 +0000\"",
            "\"31-Feb-2024 10:00:00 +0000\"",
            "\"01-Jan-2024 10:00:00 +0099\"")) {
      var f = read("* 1 FETCH (UID 9 INTERNALDATE " + date + " RFC822.SIZE 5 FLAGS ())");

      assertThat(f.problem()).as(date).isNull();
      assertThat(f.hasInternalDate).isTrue();
      assertThat(f.internalDate).as(date).isNull();
      assertThat(f.size).isEqualTo(5);
      assertThat(f.flags).isEmpty();
    }
  }

  @Test
  void a_negative_size_is_unknown_and_the_items_after_it_still_read() {
    var f = read("* 1 FETCH (UID 4 RFC822.SIZE -5 INTERNALDATE \"01-Feb-2025 10:00:00 +0000\")");

    assertThat(f.size).isEqualTo(ImapFetchItems.UNKNOWN);
    assertThat(f.sizeText).isEqualTo("-5");
    assertThat(f.internalDate).isEqualTo(Instant.parse("2025-02-01T10:00:00Z"));
  }

  @Test
  void a_literal_longer_than_announced_is_a_problem_and_the_uid_read_before_it_is_kept() {
    var f = read("* 5 FETCH (UID 5 BODY[] {10}\r\n01234567890123456789)");

    assertThat(f.uid).isEqualTo(5);
    assertThat(f.problem()).contains("after an item");
  }

  @Test
  void a_listing_of_six_with_two_unreadable_answers_names_the_shortfall() {
    List<ImapFetchItems> fetches = new ArrayList<>();
    for (int i = 1; i <= 6; i++) {
      fetches.add(
          read(
              i == 4
                  ? "* 4 FETCH (FLAGS (\\Seen) garbled"
                  : "* "
                      + i
                      + " FETCH (UID "
                      + i
                      + " FLAGS () RFC822.SIZE 3 INTERNALDATE \"01-Feb-2025 10:00:00 +0000\")"));
    }
    fetches.remove(1); // message 2: no answer at all

    var listing = ImapListing.read(fetches, 1, 6, 0);

    assertThat(listing.entries())
        .extracting(ImapListing.Entry::uid)
        .containsExactly(1L, 3L, 5L, 6L);
    assertThat(listing.unlisted())
        .singleElement()
        .satisfies(
            u -> {
              assertThat(u.count()).isEqualTo(2);
              assertThat(u.reason()).startsWith("2 messages of the folder could not be listed");
            });
  }

  @Property(tries = 3000)
  void any_bytes_give_items_or_a_problem_never_an_exception(@ForAll byte[] bytes) {
    var f = ImapFetchItems.read(bytes, 0, bytes.length);
    var listing = ImapListing.read(List.of(f), 1, bytes.length % 7, bytes.length % 2);
    assertThat(listing.entries().size() + listing.unlisted().size()).isGreaterThanOrEqualTo(0);
  }

  @Property(tries = 5000)
  void responses_built_from_fetch_fragments_never_throw(@ForAll("fetchLike") String line) {
    var f = read(line);
    if (f.bodyStart >= 0) {
      assertThat(f.bodyStart + f.bodyLength).isLessThanOrEqualTo(f.buffer().length);
    }
    ImapListing.read(List.of(f, f), 1, 3, 0);
    ImapListing.withDates(ImapListing.read(List.of(f), 1, 1, 0), java.util.Map.of(), Instant.EPOCH);
  }

  @Property(tries = 3000)
  void a_flag_is_kept_as_itself_or_dropped_never_turned_into_another(
      @ForAll("flagLike") String flag) {
    String known = MessageFlags.known(flag);
    if (known != null) {
      assertThat(known).isEqualToIgnoringCase(flag);
    }
    var f = read("* 1 FETCH (FLAGS (" + flag + "))");
    if (f.flags != null) {
      for (String kept : f.flags) {
        assertThat(flag.toLowerCase()).contains(kept.toLowerCase());
      }
    }
  }

  @Property(tries = 3000)
  void any_date_text_is_a_date_or_null(@ForAll String text) {
    Instant date = ImapFetchItems.internetDate(text);
    if (date != null) {
      assertThat(date).isAfter(Instant.parse("0000-12-31T00:00:00Z"));
    }
  }

  @Provide
  Arbitrary<String> fetchLike() {
    Arbitrary<String> fragment =
        Arbitraries.of(
            "* ",
            "1",
            "42",
            " ",
            "FETCH",
            " (",
            "(",
            ")",
            "UID ",
            "FLAGS ",
            "\\Seen",
            "\\Foo",
            "$kw",
            "RFC822.SIZE ",
            "-5",
            "99999999999999999999",
            "INTERNALDATE ",
            "NIL",
            "\"01-Jan-0000 00:00:00 +0000\"",
            "\"01-Feb-2025 10:00:00 +0000\"",
            "\"",
            "\\",
            "BODY[",
            "]",
            "<0>",
            "BODY[HEADER.FIELDS (MESSAGE-ID)] ",
            "BODY[] ",
            "{5}\r\n",
            "{0}\r\n",
            "~{3}\r\n",
            "{999}\r\n",
            "{",
            "}",
            "MODSEQ (12)",
            "X-GM-LABELS (\"a\" b)",
            "\r\n",
            "\u00ff",
            "\u0000");
    Arbitrary<String> noise =
        Arbitraries.strings().withCharRange('\u0000', '\u00ff').ofMaxLength(4);
    return Arbitraries.oneOf(fragment, fragment, fragment, noise)
        .list()
        .ofMaxSize(30)
        .map(parts -> String.join("", parts));
  }

  @Provide
  Arbitrary<String> flagLike() {
    Arbitrary<String> base =
        Arbitraries.of(
            "\\Seen",
            "\\Answered",
            "\\Flagged",
            "\\Deleted",
            "\\Draft",
            "\\Recent",
            "\\Foo",
            "\\F",
            "\\S",
            "\\",
            "$Forwarded",
            "\\*",
            "Junk");
    Arbitrary<String> noise =
        Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(8);
    return Arbitraries.oneOf(
        base,
        noise,
        Arbitraries.strings().withCharRange('!', '~').ofMaxLength(3).map(s -> "\\" + s));
  }
}

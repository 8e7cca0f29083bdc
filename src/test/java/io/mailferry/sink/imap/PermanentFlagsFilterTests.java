package io.mailferry.sink.imap;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.Flags;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PermanentFlagsFilterTests {

  private static Flags systemFlags() {
    Flags f = new Flags();
    f.add(Flags.Flag.SEEN);
    f.add(Flags.Flag.ANSWERED);
    f.add(Flags.Flag.FLAGGED);
    f.add(Flags.Flag.DELETED);
    f.add(Flags.Flag.DRAFT);
    return f;
  }

  /** PERMANENTFLAGS (\Seen \Answered \Flagged \Deleted \Draft \*) */
  private static Flags anyKeyword() {
    Flags f = systemFlags();
    f.add(Flags.Flag.USER);
    return f;
  }

  /** PERMANENTFLAGS (\Seen \Answered \Flagged \Deleted \Draft keywords...) */
  private static Flags onlyKeywords(String... keywords) {
    Flags f = systemFlags();
    for (String k : keywords) {
      f.add(k);
    }
    return f;
  }

  private record Result(Set<String> kept, Set<String> dropped) {}

  private static Result filter(Flags permanent, String... flags) {
    Set<String> dropped = new LinkedHashSet<>();
    Set<String> in = new LinkedHashSet<>(List.of(flags));
    Set<String> kept = new PermanentFlagsFilter(permanent).keep(in, dropped);
    return new Result(kept, dropped);
  }

  @Test
  void with_backslash_star_any_valid_keyword_is_kept() {
    Result r =
        filter(
            anyKeyword(),
            "\\Seen",
            "$Forwarded",
            "$label1",
            "NonJunk",
            "Projekt-Alpha_2024",
            "$MDNSent");

    assertThat(r.kept())
        .containsExactly(
            "\\Seen", "$Forwarded", "$label1", "NonJunk", "Projekt-Alpha_2024", "$MDNSent");
    assertThat(r.dropped()).isEmpty();
  }

  @Test
  void
      without_backslash_star_only_the_listed_keywords_are_kept_and_the_others_reported_as_dropped() {
    Result r =
        filter(
            onlyKeywords("$Forwarded", "$MDNSent"),
            "\\Seen",
            "$Forwarded",
            "$label1",
            "\\Flagged",
            "Work",
            "$MDNSent");

    assertThat(r.kept()).containsExactly("\\Seen", "$Forwarded", "\\Flagged", "$MDNSent");
    assertThat(r.dropped()).containsExactly("$label1", "Work");
  }

  @Test
  void without_backslash_star_and_without_listed_keywords_every_keyword_is_dropped() {
    Result r = filter(systemFlags(), "\\Answered", "$Forwarded", "$Junk");

    assertThat(r.kept()).containsExactly("\\Answered");
    assertThat(r.dropped()).containsExactly("$Forwarded", "$Junk");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "\\$NOTJUNK",
        "bad keyword",
        "a(b",
        "a)b",
        "a{b",
        "50%",
        "star*",
        "quote\"d",
        "back\\slash",
        "a]b",
        "tab\tbed",
        "Ünicode",
        "\\Recent",
        "\\Important",
        ""
      })
  void an_invalid_flag_is_dropped_even_when_any_keyword_is_allowed(String flag) {
    Result withStar = filter(anyKeyword(), "\\Seen", flag);
    Result listed = filter(onlyKeywords(flag), "\\Seen", flag);

    assertThat(withStar.kept()).containsExactly("\\Seen");
    assertThat(withStar.dropped()).containsExactly(flag);
    assertThat(listed.kept()).containsExactly("\\Seen");
    assertThat(listed.dropped()).containsExactly(flag);
  }

  @Test
  void system_flags_are_kept_when_the_folder_lists_them() {
    String[] all = {"\\Seen", "\\Answered", "\\Flagged", "\\Deleted", "\\Draft"};

    assertThat(filter(anyKeyword(), all).kept()).containsExactly(all);
    assertThat(filter(systemFlags(), all).kept()).containsExactly(all);
    assertThat(filter(systemFlags(), all).dropped()).isEmpty();
  }

  @Test
  void a_system_flag_the_folder_does_not_list_is_dropped() {
    Flags permanent = new Flags();
    permanent.add(Flags.Flag.SEEN);
    permanent.add(Flags.Flag.FLAGGED);
    permanent.add(Flags.Flag.USER);

    Result r = filter(permanent, "\\Seen", "\\Draft", "\\Flagged", "\\Deleted", "$Forwarded");

    assertThat(r.kept()).containsExactly("\\Seen", "\\Flagged", "$Forwarded");
    assertThat(r.dropped()).containsExactly("\\Draft", "\\Deleted");
  }

  @Test
  void without_any_permanent_flags_system_flags_are_still_kept() {
    Result r = filter(null, "\\Seen", "\\Answered", "\\Draft");

    assertThat(r.kept()).containsExactly("\\Seen", "\\Answered", "\\Draft");
    assertThat(r.dropped()).isEmpty();
  }

  @Test
  void dropped_flags_are_added_to_what_the_caller_already_collected() {
    Set<String> dropped = new LinkedHashSet<>(List.of("earlier"));

    Set<String> kept = new PermanentFlagsFilter(systemFlags()).keep(Set.of("$label2"), dropped);

    assertThat(kept).isEmpty();
    assertThat(dropped).containsExactly("earlier", "$label2");
  }
}

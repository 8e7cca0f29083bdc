package io.mailferry.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailferry.mail.FolderInfo;
import io.mailferry.mail.FolderPath;
import io.mailferry.mail.ImapNamespace;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Two source folders that would end in one destination folder are found in the plan (issue 16.2).
 */
class FolderCollisionsTests {

  private static final ImapNamespace DOT_DESTINATION = new ImapNamespace('.', "INBOX.", List.of());
  private static final ImapNamespace ARCHIVE = new ImapNamespace('/', "", List.of());

  @Test
  void
      v1_dot_2_and_v1_2_on_a_dot_destination_get_two_folders_whatever_order_the_source_lists_them_in() {
    List<FolderInfo> listed = List.of(slash("v1.2"), slash("v1_2"), slash("v1.2/x"));

    Map<String, String> forward = destinations(resolve(listed, DOT_DESTINATION));
    Map<String, String> backward =
        destinations(
            resolve(List.of(listed.get(2), listed.get(1), listed.get(0)), DOT_DESTINATION));

    assertThat(forward)
        .containsEntry("v1_2", "INBOX.v1_2")
        .containsEntry("v1.2", "INBOX.v1_2 (2)")
        .containsEntry("v1.2/x", "INBOX.v1_2 (2).x");
    assertThat(backward).isEqualTo(forward);
    assertThat(resolve(listed, DOT_DESTINATION))
        .filteredOn(r -> r.note() != null)
        .extracting(r -> r.note())
        .containsExactly(
            "v1.2 would share the destination folder v1_2 with v1_2: copied into v1_2 (2) instead");
  }

  @Test
  void a_folder_named_a_slash_b_and_a_b_from_a_dot_source_get_two_archive_folders() {
    List<FolderInfo> listed = List.of(dot(List.of("a/b")), dot(List.of("a_b")));

    Map<String, String> to = destinations(resolve(listed, ARCHIVE));

    assertThat(to).containsEntry("INBOX.a/b", "a_b (2)").containsEntry("INBOX.a_b", "a_b");
  }

  @Test
  void a_name_listed_twice_in_two_encodings_is_refused_for_the_second_never_counted_as_the_first() {
    // "p&AC8-q" is modified UTF-7 for "p/q": the IMAP library lists both as "p/q".
    List<FolderInfo> listed = List.of(slash("p/q"), slash("p/q"));

    List<FolderCollisions.Resolved> plan = resolve(listed, ARCHIVE);

    assertThat(plan)
        .extracting(FolderCollisions.Resolved::refusal)
        .filteredOn(r -> r != null)
        .singleElement()
        .asString()
        .contains("the source lists two folders named p/q");
  }

  @Test
  void two_sent_folders_share_the_destinations_sent_and_the_plan_says_they_were_merged() {
    List<FolderInfo> listed =
        List.of(
            new FolderInfo(FolderPath.parse("Sent"), "Sent", "\\Sent", true, true),
            new FolderInfo(FolderPath.parse("Sent Items"), "Sent Items", null, true, true));

    List<FolderCollisions.Resolved> plan = resolve(listed, ARCHIVE);

    assertThat(destinations(plan))
        .containsEntry("Sent", "Sent")
        .containsEntry("Sent Items", "Sent");
    assertThat(plan)
        .extracting(FolderCollisions.Resolved::note)
        .filteredOn(n -> n != null)
        .singleElement()
        .isEqualTo(
            "Sent Items and Sent are both \\Sent folders: merged into Sent, each keeping its own records");
  }

  private static List<FolderCollisions.Resolved> resolve(
      List<FolderInfo> listed, ImapNamespace destination) {
    var mappings = new FolderMapper(FolderSelection.all(), Map.of()).map(listed, destination);
    return FolderCollisions.resolve(mappings, destination);
  }

  /** Source server name → destination server name. */
  private static Map<String, String> destinations(List<FolderCollisions.Resolved> plan) {
    Map<String, String> out = new LinkedHashMap<>();
    for (FolderCollisions.Resolved r : plan) {
      out.put(r.mapping().source().serverName(), r.mapping().destName());
    }
    return out;
  }

  private static FolderInfo slash(String slashed) {
    return new FolderInfo(FolderPath.parse(slashed), slashed, null, true, true);
  }

  private static FolderInfo dot(List<String> segments) {
    return new FolderInfo(
        new FolderPath(new ArrayList<>(segments)),
        "INBOX." + String.join(".", segments),
        null,
        true,
        true);
  }
}

package io.mailferry.job;

import static io.mailferry.job.MigrateContract.append;
import static io.mailferry.job.MigrateContract.raw;
import static io.mailferry.job.MigrateContract.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import io.mailferry.testsupport.Account;
import io.mailferry.testsupport.Mailferry;
import io.mailferry.testsupport.TestMailbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A migration of a mailbox in use (issue 19): between a first run and the next one the source's
 * user changes flags, deletes and moves messages, and the destination's user works there too. Run
 * once per server kind; every assertion looks at what a user sees at the destination.
 */
abstract class CutOverContract {

  static final Instant DAY = Instant.parse("2026-10-01T08:00:00Z");

  @TempDir Path state;

  Account source;
  Account destination;

  protected abstract Account newSourceAccount();

  protected abstract Account newDestinationAccount();

  @BeforeEach
  void accounts() {
    source = newSourceAccount();
    destination = newDestinationAccount();
  }

  /** Message {@code i} (0-based) of the folder, in the order stored (by UID). */
  static Set<String> flagsOf(Account account, String path, int i) throws Exception {
    try (TestMailbox box = account.open()) {
      return Set.copyOf(box.messages(account.serverName(path)).get(i).flags());
    }
  }

  /** Seeds {@code subjects} into the folder, a minute apart, with these flags. */
  static void seed(Account account, String path, Set<String> flags, String... subjects)
      throws Exception {
    for (int i = 0; i < subjects.length; i++) {
      append(account, path, raw(subjects[i]), flags, DAY.plusSeconds(60L * i));
    }
  }

  Mailferry.Result migrate(String... extra) {
    return Mailferry.migrate(source, destination, state, extra);
  }

  JsonNode reportOf(String... extra) throws Exception {
    Path report = state.resolve("report-" + System.nanoTime() + ".json");
    String[] args = new String[extra.length + 2];
    System.arraycopy(extra, 0, args, 0, extra.length);
    args[extra.length] = "--report";
    args[extra.length + 1] = report.toString();
    Mailferry.Result run = migrate(args);
    assertThat(run.exitCode()).as(run.toString()).isZero();
    return JsonMapper.builder().build().readTree(Files.readString(report));
  }

  static JsonNode folder(JsonNode report, String sourceFolder) {
    for (JsonNode f : report.get("folders")) {
      if (f.get("sourceFolder").asString().equals(sourceFolder)) {
        return f;
      }
    }
    throw new AssertionError("no folder " + sourceFolder + " in " + report);
  }

  @Test
  void flags_changed_at_the_source_follow_and_those_changed_at_the_destination_stay()
      throws Exception {
    seed(source, "INBOX", Set.of(), "read-later", "keyword", "answered-here");
    seed(source, "INBOX", Set.of("\\Seen"), "unread-again");
    assertThat(migrate().exitCode()).isZero();
    try (TestMailbox box = source.open()) {
      box.setFlags("INBOX", 1, Set.of("\\Seen", "\\Flagged")); // read and flagged at the source
      box.setFlags("INBOX", 2, Set.of("$Work")); // a keyword added at the source
      box.removeFlags("INBOX", 4, Set.of("\\Seen")); // marked unread at the source
    }
    try (TestMailbox box = destination.open()) {
      box.setFlags("INBOX", 1, Set.of("$Later")); // changed at both: each side's change is kept
      box.setFlags("INBOX", 3, Set.of("\\Answered")); // the destination's user replied
    }

    JsonNode report = reportOf();

    assertThat(flagsOf(destination, "INBOX", 0))
        .containsExactlyInAnyOrder("\\Seen", "\\Flagged", "$Later");
    assertThat(flagsOf(destination, "INBOX", 1)).containsExactly("$Work");
    assertThat(flagsOf(destination, "INBOX", 2)).containsExactly("\\Answered");
    assertThat(flagsOf(destination, "INBOX", 3)).isEmpty();
    JsonNode inbox = folder(report, "INBOX");
    assertThat(inbox.get("copied").asLong()).isZero();
    assertThat(inbox.get("flagsUpdated").asLong()).isEqualTo(3);
    assertThat(inbox.get("flagsKept").asLong()).isEqualTo(1);
    assertThat(snapshot(destination).get("INBOX")).hasSize(4);

    JsonNode again = reportOf();
    assertThat(folder(again, "INBOX").get("flagsUpdated").asLong()).isZero();
  }

  @Test
  void no_flag_sync_leaves_the_flags_of_earlier_copies_as_they_were() throws Exception {
    seed(source, "INBOX", Set.of(), "one");
    assertThat(migrate().exitCode()).isZero();
    try (TestMailbox box = source.open()) {
      box.setFlags("INBOX", 1, Set.of("\\Seen"));
    }

    JsonNode report = reportOf("--no-flag-sync");

    assertThat(flagsOf(destination, "INBOX", 0)).isEmpty();
    assertThat(folder(report, "INBOX").get("flagsUpdated").asLong()).isZero();
  }

  @Test
  void with_mirror_a_message_gone_from_the_source_is_expunged_and_a_moved_one_is_moved()
      throws Exception {
    seed(source, "INBOX", Set.of(), "stays", "deleted", "moved");
    seed(source, "Work", Set.of(), "work");
    assertThat(migrate().exitCode()).isZero();
    // The destination's user filed a message of their own: mailferry never touches it.
    append(destination, "INBOX", raw("own"), Set.of("\\Flagged"), DAY.plusSeconds(3600));
    try (TestMailbox box = destination.open()) {
      box.setFlags("INBOX", 3, Set.of("$Important")); // "moved", changed at the destination
    }
    Map<String, List<MigrateContract.Snap>> before = snapshot(source);
    try (TestMailbox box = source.open()) {
      box.expunge("INBOX", 2); // "deleted"
    }
    // "moved" goes to Work at the source, flagged on the way.
    append(source, "Work", raw("moved"), Set.of("\\Flagged"), DAY.plusSeconds(120));
    try (TestMailbox box = source.open()) {
      box.expunge("INBOX", 2);
    }
    assertThat(snapshot(source).get("INBOX")).hasSize(1);
    assertThat(before.get("INBOX")).hasSize(3);

    JsonNode report = reportOf("--mirror", "--mirror-max-delete", "50");

    Map<String, List<MigrateContract.Snap>> after = snapshot(destination);
    assertThat(subjects(destination, "INBOX")).containsExactlyInAnyOrder("stays", "own");
    assertThat(subjects(destination, "Work")).containsExactlyInAnyOrder("work", "moved");
    assertThat(after.get("Work")).hasSize(2);
    assertThat(flagsOf(destination, "Work", 1))
        .as("moved with its destination-side keyword, and the source's flag merged in")
        .containsExactlyInAnyOrder("\\Flagged", "$Important");
    assertThat(folder(report, "INBOX").get("expunged").asLong()).isEqualTo(1);
    assertThat(folder(report, "Work").get("moved").asLong()).isEqualTo(1);
    assertThat(folder(report, "Work").get("copied").asLong()).isZero();
    assertThat(flagsOf(destination, "INBOX", 1)).containsExactly("\\Flagged"); // its own, kept
  }

  @Test
  void without_mirror_nothing_is_removed_and_a_moved_message_is_copied_to_its_new_folder()
      throws Exception {
    seed(source, "INBOX", Set.of(), "stays", "deleted", "moved");
    assertThat(migrate().exitCode()).isZero();
    append(source, "Work", raw("moved"), Set.of(), DAY.plusSeconds(120));
    try (TestMailbox box = source.open()) {
      box.expunge("INBOX", 3);
      box.expunge("INBOX", 2);
    }

    assertThat(migrate().exitCode()).isZero();

    assertThat(subjects(destination, "INBOX"))
        .containsExactlyInAnyOrder("stays", "deleted", "moved");
    assertThat(subjects(destination, "Work")).containsExactly("moved");
  }

  @Test
  void the_mirror_guard_leaves_a_folder_that_would_lose_too_much_and_says_so() throws Exception {
    seed(source, "INBOX", Set.of(), "a", "b", "c", "d", "e");
    assertThat(migrate().exitCode()).isZero();
    try (TestMailbox box = source.open()) {
      box.expunge("INBOX", 5);
      box.expunge("INBOX", 4);
    }

    Mailferry.Result held = migrate("--mirror");

    assertThat(held.exitCode()).as(held.toString()).isZero();
    assertThat(subjects(destination, "INBOX")).hasSize(5);
    assertThat(held.out()).contains("--mirror left the folder as it was: 2 of the 5 messages");

    JsonNode report = reportOf("--mirror", "--mirror-max-delete", "40");
    assertThat(subjects(destination, "INBOX")).containsExactlyInAnyOrder("a", "b", "c");
    assertThat(folder(report, "INBOX").get("expunged").asLong()).isEqualTo(2);
  }

  /** The subjects of a folder's messages (raw() puts the subject in the Message-ID too). */
  static List<String> subjects(Account account, String path) throws Exception {
    try (TestMailbox box = account.open()) {
      return box.messages(account.serverName(path)).stream()
          .map(m -> m.messageId().replaceAll("^<|@example.org>$", ""))
          .toList();
    }
  }
}

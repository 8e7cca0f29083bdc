package io.mailferry.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailferry.cli.ExitCodes;
import io.mailferry.testsupport.Account;
import io.mailferry.testsupport.DovecotExtension;
import io.mailferry.testsupport.DovecotServer;
import io.mailferry.testsupport.Mailferry;
import io.mailferry.testsupport.ReportSchema;
import io.mailferry.testsupport.ScriptedImapDestination;
import io.mailferry.testsupport.ScriptedImapSource;
import io.mailferry.testsupport.TestMailbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One folder that cannot be created, held or read fails alone (issue 16, case 5): its name and the
 * server's words in the summary and the report, exit 1, and every other folder arrives. A parent
 * the destination lists \Noselect is made a real folder, or its messages go to a fallback beside
 * it.
 */
class FolderRefusalsIntegrationTests {

  private static final Instant DATE = Instant.parse("2025-04-01T08:00:00Z");
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @RegisterExtension
  static DovecotExtension dovecot = new DovecotExtension(DovecotServer.Layout.SLASH);

  @RegisterExtension
  static DovecotExtension maildirPlusPlus =
      new DovecotExtension(DovecotServer.Layout.SLASH_MAILDIR_PLUS_PLUS);

  @TempDir Path state;

  @Test
  void
      a_folder_name_the_destination_refuses_fails_alone_with_the_servers_words_and_the_others_arrive()
          throws Exception {
    Account source = account(dovecot.server(), "namesrc");
    Account destination = account(maildirPlusPlus.server(), "namedst");
    seed(source, "INBOX", "in", 2);
    seed(source, "v1.2", "dotted", 1);
    seed(source, "Work", "work", 1);
    Path report = state.resolve("report.json");

    var run = Mailferry.migrate(source, destination, state, "--report", report.toString());

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.SOME_FAILED);
    String refusal =
        "the destination refused to create folder v1.2: [CANNOT] Character not allowed in mailbox name: '.'";
    assertThat(run.out()).contains("folder failed: " + refusal);
    try (TestMailbox box = destination.open()) {
      assertThat(box.count("INBOX")).isEqualTo(2);
      assertThat(box.count("Work")).isEqualTo(1);
    }
    String json = Files.readString(report);
    assertThat(ReportSchema.violations(json)).isEmpty();
    JsonNode tree = JSON.readTree(json);
    assertThat(tree.get("failedFolders").asLong()).isEqualTo(1);
    assertThat(folder(tree, "v1.2").get("folderFailure").asString()).isEqualTo(refusal);
    assertThat(tree.get("copied").asLong()).isEqualTo(3);
  }

  @Test
  void a_parent_the_destination_lists_noselect_is_made_a_folder_and_gets_its_messages()
      throws Exception {
    Account source = account(dovecot.server(), "parentsrc");
    Account destination = account(dovecot.server(), "parentdst");
    seed(source, "Projects", "projects", 2);
    seed(source, "Projects/2021", "y2021", 1);
    // Created child first, as another tool would: Dovecot then lists the parent Projects \Noselect.
    seed(destination, "Projects/2021", "older", 1);

    var run = Mailferry.migrate(source, destination, state);

    assertThat(run.exitCode()).as(run.toString()).isZero();
    try (TestMailbox box = destination.open()) {
      assertThat(box.messages("Projects"))
          .extracting(TestMailbox.StoredMessage::messageId)
          .containsExactlyInAnyOrder("<projects-0@example.org>", "<projects-1@example.org>");
      assertThat(box.count("Projects/2021")).isEqualTo(2);
    }
  }

  @Test
  void
      a_noselect_parent_the_destination_cannot_change_sends_its_messages_to_a_named_fallback_with_a_warning()
          throws Exception {
    Account source = account(dovecot.server(), "fallbacksrc");
    seed(source, "INBOX", "in", 1);
    seed(source, "Archive", "archive", 2);
    Path report = state.resolve("report.json");

    try (var courier = new ScriptedImapDestination("\\Seen \\Flagged \\*").noselect("Archive")) {
      Account destination = Account.imap("127.0.0.1", courier.port(), "courier", "pw");

      var run = Mailferry.migrate(source, destination, state, "--report", report.toString());

      assertThat(run.exitCode()).as(run.toString()).isZero();
      assertThat(courier.stored("Archive (messages)")).hasSize(2);
      assertThat(courier.stored("INBOX")).hasSize(1);
      String warning =
          "the destination folder Archive cannot hold messages (\\Noselect): they went to Archive (messages)";
      assertThat(run.out()).contains("warning ×1: " + warning);
      JsonNode tree = JSON.readTree(Files.readString(report));
      assertThat(folder(tree, "Archive").get("destFolder").asString())
          .isEqualTo("Archive (messages)");
      assertThat(folder(tree, "Archive").get("warnings").get(warning).asLong()).isEqualTo(1);

      var again = Mailferry.migrate(source, destination, state);

      assertThat(again.exitCode()).as(again.toString()).isZero();
      assertThat(courier.stored("Archive (messages)"))
          .hasSize(2); // the same fallback, nothing twice
    }
  }

  @Test
  void a_create_the_destination_refuses_in_its_own_words_fails_that_folder_alone()
      throws Exception {
    Account source = account(dovecot.server(), "createsrc");
    seed(source, "INBOX", "in", 1);
    seed(source, "Private", "private", 1);

    try (var strict =
        new ScriptedImapDestination("\\Seen \\*")
            .refuseCreate("Private", "[NOPERM] Permission denied")) {
      var run =
          Mailferry.migrate(
              source, Account.imap("127.0.0.1", strict.port(), "strict", "pw"), state);

      assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.SOME_FAILED);
      assertThat(run.out())
          .contains(
              "folder failed: the destination refused to create folder Private: "
                  + "[NOPERM] Permission denied");
      assertThat(strict.stored("INBOX")).hasSize(1);
    }
  }

  @Test
  void a_listed_source_folder_that_refuses_status_fails_alone_named_with_the_servers_words()
      throws Exception {
    Account source = account(dovecot.server(), "lockedsrc");
    Account destination = account(dovecot.server(), "lockeddst");
    seed(source, "INBOX", "in", 2);
    seed(source, "Locked", "locked", 1);
    seed(source, "Open", "open", 1);
    // Dovecot reads mail as the "mail" user: it still lists the folder, but STATUS and EXAMINE get
    // NO.
    Path locked = dovecot.server().mailRoot(source.user()).resolve("Locked");
    Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
    Path report = state.resolve("report.json");
    try {
      var run = Mailferry.migrate(source, destination, state, "--report", report.toString());

      assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.SOME_FAILED);
      assertThat(run.out()).containsPattern("folder failed: the source refused to open it: .+");
      JsonNode tree = JSON.readTree(Files.readString(report));
      assertThat(folder(tree, "Locked").get("folderFailure").asString())
          .startsWith("the source refused to open it: ");
      try (TestMailbox box = destination.open()) {
        assertThat(box.count("INBOX")).isEqualTo(2);
        assertThat(box.count("Open")).isEqualTo(1);
      }
    } finally {
      Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwx------"));
    }
  }

  @Test
  void
      a_source_folder_that_answers_status_but_refuses_select_fails_alone_named_with_the_servers_words()
          throws Exception {
    Path report = state.resolve("report.json");
    try (var source =
            new ScriptedImapSource()
                .refuseSelect("Shared", "[NOPERM] You lack the read right on this folder");
        var destination = new ScriptedImapDestination("\\Seen \\*")) {
      String date = "\"01-Apr-2025 08:00:00 +0000\"";
      source.add(MigrateContract.raw("in-0"), "", date);
      source.add(MigrateContract.raw("in-1"), "\\Seen", date);

      var run =
          Mailferry.migrate(
              source.account(),
              Account.imap("127.0.0.1", destination.port(), "dst", "pw"),
              state,
              "--report",
              report.toString());

      assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.SOME_FAILED);
      String failure =
          "the source refused to open it: [NOPERM] You lack the read right on this folder";
      assertThat(run.out())
          .containsPattern("Shared +1 +0 +0 +0 +0|Shared +0 +0 +0 +0 +0")
          .contains("folder failed: " + failure);
      JsonNode tree = JSON.readTree(Files.readString(report));
      assertThat(tree.get("reason").asString())
          .isEqualTo("0 messages and 1 folder failed; the summary and the " + "report list them.");
      assertThat(folder(tree, "Shared").get("folderFailure").asString()).isEqualTo(failure);
      assertThat(destination.stored("INBOX")).hasSize(2);
    }
  }

  // ---- helpers

  private static JsonNode folder(JsonNode report, String sourceFolder) {
    for (JsonNode f : report.get("folders")) {
      if (f.get("sourceFolder").asString().equals(sourceFolder)) {
        return f;
      }
    }
    throw new AssertionError("no folder " + sourceFolder + " in " + report);
  }

  private static void seed(Account account, String path, String prefix, int n) throws Exception {
    for (int i = 0; i < n; i++) {
      MigrateContract.append(
          account, path, MigrateContract.raw(prefix + "-" + i), Set.of(), DATE.plusSeconds(i));
    }
  }

  private static Account account(DovecotServer server, String user) {
    server.addUser(user, "pw-" + user);
    return Account.imap(server.host(), server.imapPort(), user, "pw-" + user)
        .trusting(server.certificatePem());
  }
}

package io.mailferry.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailferry.archive.ArchiveLayout;
import io.mailferry.archive.Manifest;
import io.mailferry.testsupport.Account;
import io.mailferry.testsupport.DovecotExtension;
import io.mailferry.testsupport.DovecotServer;
import io.mailferry.testsupport.Mailferry;
import io.mailferry.testsupport.TestMailbox;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Folder identity (issue 16, cases 1 and 2): two source folders never collapse into one by
 * accident, and one folder's sweep never touches another folder's messages.
 */
class FolderIdentityIntegrationTests {

  private static final AtomicInteger USERS = new AtomicInteger();

  @RegisterExtension
  static DovecotExtension slash = new DovecotExtension(DovecotServer.Layout.SLASH);

  /** Separator '.', prefix "INBOX.": a '/' is an ordinary character of a folder name there. */
  @RegisterExtension
  static DovecotExtension dot = new DovecotExtension(DovecotServer.Layout.DOT_INDEX);

  @TempDir Path state;
  @TempDir Path work;

  @Test
  void an_empty_sent_items_merged_into_sent_leaves_the_messages_of_sent_in_a_mirrored_archive()
      throws Exception {
    Account source = Account.onDovecot(slash.server(), "merge" + USERS.incrementAndGet());
    MigrateContract.append(
        source,
        "Sent",
        MigrateContract.raw("sent-1"),
        Set.of("\\Seen"),
        Instant.parse("2025-04-01T10:00:00Z"));
    MigrateContract.append(
        source,
        "Sent",
        MigrateContract.raw("sent-2"),
        Set.of("\\Seen"),
        Instant.parse("2025-04-02T10:00:00Z"));
    try (TestMailbox box = source.open()) {
      box.createFolder("Sent Items");
    }
    Path archive = work.resolve("merged");

    var first = backup(source, archive, "--mirror");
    var second = backup(source, archive, "--mirror");

    assertThat(first.exitCode()).as(first.toString()).isZero();
    assertThat(second.exitCode()).as(second.toString()).isZero();
    assertThat(ArchiveLayout.filesByBase(archive.resolve("Sent"))).as(second.toString()).hasSize(2);
    assertThat(Manifest.read(new ArchiveLayout(archive).manifest()).values())
        .filteredOn(r -> r.folder().equals("Sent"))
        .hasSize(2);
    assertThat(first.out())
        .contains("Sent Items and Sent are both \\Sent folders: merged into Sent");
    var verify = Mailferry.run(Map.of(), "verify", archive.toString());
    assertThat(verify.exitCode()).as(verify.toString()).isZero();
  }

  @Test
  void
      sent_and_sent_items_both_with_messages_share_the_archives_sent_and_keep_all_of_them_when_mirrored()
          throws Exception {
    Account source = Account.onDovecot(slash.server(), "both" + USERS.incrementAndGet());
    MigrateContract.append(
        source,
        "Sent",
        MigrateContract.raw("sent-1"),
        Set.of("\\Seen"),
        Instant.parse("2025-04-01T10:00:00Z"));
    MigrateContract.append(
        source,
        "Sent",
        MigrateContract.raw("sent-2"),
        Set.of("\\Seen"),
        Instant.parse("2025-04-02T10:00:00Z"));
    MigrateContract.append(
        source,
        "Sent Items",
        MigrateContract.raw("outlook-1"),
        Set.of(),
        Instant.parse("2025-04-03T10:00:00Z"));
    Path archive = work.resolve("both");

    var first = backup(source, archive, "--mirror");
    var second = backup(source, archive, "--mirror");
    var verify = Mailferry.run(Map.of(), "verify", archive.toString());

    assertThat(first.exitCode()).as(first.toString()).isZero();
    assertThat(second.exitCode()).as(second.toString()).isZero();
    assertThat(verify.exitCode()).as(verify.toString()).isZero();
    assertThat(Manifest.read(new ArchiveLayout(archive).manifest()).values())
        .filteredOn(r -> r.folder().equals("Sent"))
        .extracting(r -> r.sourceFolder() + ":" + r.messageId())
        .containsExactlyInAnyOrder(
            "Sent:<sent-1@example.org>",
            "Sent:<sent-2@example.org>",
            "Sent Items:<outlook-1@example.org>");
    assertThat(ArchiveLayout.filesByBase(archive.resolve("Sent"))).hasSize(3);
    assertThat(first.out()).contains("merged into Sent, each keeping its own records");
  }

  @Test
  void
      ledger_rows_of_an_earlier_version_keyed_by_the_slash_path_move_to_the_server_name_and_nothing_is_copied_twice()
          throws Exception {
    Account source = Account.onDovecot(dot.server(), "oldkeys" + USERS.incrementAndGet());
    MigrateContract.append(
        source,
        "Work",
        MigrateContract.raw("work-1"),
        Set.of(),
        Instant.parse("2025-05-01T10:00:00Z"));
    MigrateContract.append(
        source,
        "Work",
        MigrateContract.raw("work-2"),
        Set.of(),
        Instant.parse("2025-05-02T10:00:00Z"));
    Account destination = Account.onDovecot(slash.server(), "oldkeysdst" + USERS.incrementAndGet());
    var first = Mailferry.migrate(source, destination, state);
    assertThat(first.exitCode()).as(first.toString()).isZero();
    // What the ledger held before issue 16.2: the folder as "Work", not as the server's
    // "INBOX.Work".
    assertThat(
            sql("UPDATE mf_ledger SET source_folder = 'Work' WHERE source_folder = 'INBOX.Work'"))
        .isEqualTo(2);
    sql("UPDATE mf_folder_state SET source_folder = 'Work' WHERE source_folder = 'INBOX.Work'");
    MigrateContract.append(
        source,
        "Work",
        MigrateContract.raw("work-3"),
        Set.of(),
        Instant.parse("2025-05-03T10:00:00Z"));

    var again = Mailferry.migrate(source, destination, state);

    assertThat(again.exitCode()).as(again.toString()).isZero();
    assertThat(Pop3Contract.copied(again)).isEqualTo(1);
    assertThat(subjects(destination, "Work")).containsExactly("work-1", "work-2", "work-3");
    assertThat(sql("SELECT COUNT(*) FROM mf_ledger WHERE source_folder = 'INBOX.Work'"))
        .isEqualTo(3);
    assertThat(sql("SELECT COUNT(*) FROM mf_ledger WHERE source_folder = 'Work'")).isZero();
  }

  /**
   * Runs one statement on the job store in the state directory; the update count or the single
   * number.
   */
  private int sql(String statement) throws Exception {
    String url = "jdbc:h2:file:" + state.toAbsolutePath().resolve("jobstore") + ";AUTO_SERVER=TRUE";
    try (var c = java.sql.DriverManager.getConnection(url, "sa", "");
        var st = c.createStatement()) {
      if (st.execute(statement)) {
        try (var rs = st.getResultSet()) {
          rs.next();
          return rs.getInt(1);
        }
      }
      return st.getUpdateCount();
    }
  }

  @Test
  void on_a_dot_separated_source_a_b_and_a_folder_named_a_slash_b_are_both_copied()
      throws Exception {
    String user = "dotsrc" + USERS.incrementAndGet();
    Account source = Account.onDovecot(dot.server(), user);
    try (TestMailbox box = source.open()) {
      box.createFolder("INBOX.a");
      box.createFolder("INBOX.a.b");
      box.createFolder("INBOX.a/b");
    }
    // One UIDVALIDITY (as Cyrus or Courier may give): the ledger rows of the two would be
    // indistinguishable by it.
    for (String folder : List.of("INBOX.a.b", "INBOX.a/b")) {
      dot.server().doveadm("mailbox", "update", "-u", user, "--uid-validity", "1700000000", folder);
    }
    try (TestMailbox box = source.open()) {
      box.append(
          "INBOX.a.b",
          MigrateContract.raw("in-a-dot-b"),
          Set.of(),
          Instant.parse("2025-05-01T10:00:00Z"));
      box.append(
          "INBOX.a/b",
          MigrateContract.raw("in-a-slash-b"),
          Set.of(),
          Instant.parse("2025-05-02T10:00:00Z"));
    }
    Account destination = Account.onDovecot(slash.server(), "slashdst" + USERS.incrementAndGet());

    var run = Mailferry.migrate(source, destination, state);
    var again = Mailferry.migrate(source, destination, state);

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(again.exitCode()).as(again.toString()).isZero();
    assertThat(subjects(destination, "a/b")).containsExactly("in-a-dot-b");
    assertThat(subjects(destination, "a_b")).containsExactly("in-a-slash-b");
  }

  @Test
  void v1_dot_2_and_v1_2_on_a_dot_separated_destination_go_to_two_folders_with_a_warning()
      throws Exception {
    Account source = Account.onDovecot(slash.server(), "vsrc" + USERS.incrementAndGet());
    MigrateContract.append(
        source,
        "v1.2",
        MigrateContract.raw("dotted"),
        Set.of(),
        Instant.parse("2025-05-01T10:00:00Z"));
    MigrateContract.append(
        source,
        "v1_2",
        MigrateContract.raw("underscored"),
        Set.of(),
        Instant.parse("2025-05-02T10:00:00Z"));
    Account destination = Account.onDovecot(dot.server(), "vdst" + USERS.incrementAndGet());

    var run = Mailferry.migrate(source, destination, state);
    var again = Mailferry.migrate(source, destination, state);

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(subjects(destination, "INBOX.v1_2")).containsExactly("underscored");
    assertThat(subjects(destination, "INBOX.v1_2 (2)")).containsExactly("dotted");
    assertThat(run.out())
        .contains(
            "v1.2 would share the destination folder v1_2 with v1_2: copied into v1_2 (2) instead");
    assertThat(again.exitCode()).as(again.toString()).isZero();
    assertThat(Pop3Contract.copied(again)).isZero();
    assertThat(subjects(destination, "INBOX.v1_2 (2)")).containsExactly("dotted");
  }

  @Test
  void a_slash_b_and_a_b_from_a_dot_separated_source_go_to_two_archive_folders() throws Exception {
    Account source = Account.onDovecot(dot.server(), "arsrc" + USERS.incrementAndGet());
    try (TestMailbox box = source.open()) {
      box.createFolder("INBOX.a/b");
      box.createFolder("INBOX.a_b");
      // One UID and one date in both folders: the archive's file names would be equal too.
      box.append(
          "INBOX.a/b",
          MigrateContract.raw("slashed"),
          Set.of(),
          Instant.parse("2025-05-01T10:00:00Z"));
      box.append(
          "INBOX.a_b",
          MigrateContract.raw("underscored"),
          Set.of(),
          Instant.parse("2025-05-01T10:00:00Z"));
    }
    Path archive = work.resolve("a_b");

    var run = backup(source, archive);

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(ArchiveLayout.filesByBase(archive.resolve("a_b"))).hasSize(1);
    assertThat(ArchiveLayout.filesByBase(archive.resolve("a_b (2)"))).hasSize(1);
    assertThat(run.out()).contains("copied into a_b (2) instead");
  }

  private static List<String> subjects(Account account, String serverName) throws Exception {
    try (TestMailbox box = account.open()) {
      return box.messages(serverName).stream()
          .map(m -> m.messageId().replaceAll("^<(.*)@example.org>$", "$1"))
          .sorted()
          .toList();
    }
  }

  private Mailferry.Result backup(Account source, Path archive, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "backup",
                "--from",
                source.url(),
                "--to",
                archive.toString(),
                "--state-dir",
                state.toString(),
                "--from-trust-cert",
                source.trustCert().toString()));
    args.addAll(List.of(extra));
    return Mailferry.run(
        Map.of("MAILFERRY_FROM_PASSWORD", source.password()), args.toArray(String[]::new));
  }
}

package io.mailferry.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import io.mailferry.testsupport.Account;
import io.mailferry.testsupport.HardCases;
import io.mailferry.testsupport.Mailferry;
import io.mailferry.testsupport.QuickRetries;
import io.mailferry.testsupport.ScriptedImapDestination;
import io.mailferry.testsupport.ScriptedPop3Server;
import io.mailferry.testsupport.TestMailbox;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * POP3 servers whose behaviour the test chooses: no UIDL, a mailbox locked by another session, a
 * wrong password, exact bytes (bare LF, no final line end, dot lines) served as stored, and -ERR to
 * TOP or RETR. The destination is GreenMail, or a scripted IMAP server where the exact bytes
 * matter.
 */
@ExtendWith(QuickRetries.class)
class ScriptedPop3IntegrationTests {

  private static final AtomicInteger USERS = new AtomicInteger();

  @RegisterExtension
  static GreenMailExtension destinationServer =
      new GreenMailExtension(
          new ServerSetup(3144, "127.0.0.1", ServerSetup.PROTOCOL_IMAP).dynamicPort());

  @TempDir Path state;

  @Test
  void bytes_arrive_exactly_as_the_server_stores_them_bare_lf_and_missing_final_line_end_included()
      throws Exception {
    // Real servers (GreenMail, Dovecot) turn bare LF into CRLF on APPEND: the scripted destination
    // records the exact bytes mailferry sends.
    try (var pop = new ScriptedPop3Server("secret", true);
        var destination =
            new ScriptedImapDestination("\\Seen \\Flagged \\Answered \\Draft \\Deleted")) {
      for (var c : HardCases.all()) {
        pop.add(c.raw());
      }

      var run =
          Mailferry.migrate(
              source(pop, "secret"),
              Account.imap("127.0.0.1", destination.port(), "scripted", "pw"),
              state);

      assertThat(run.exitCode()).as(run.toString()).isZero();
      List<String> expected =
          HardCases.all().stream().map(c -> TestMailbox.sha256(c.raw())).sorted().toList();
      assertThat(
              destination.appended().stream()
                  .map(a -> TestMailbox.sha256(a.raw()))
                  .sorted()
                  .toList())
          .isEqualTo(expected);
    }
  }

  @Test
  void without_uidl_messages_are_keyed_by_their_headers_with_one_warning_and_reruns_copy_nothing()
      throws Exception {
    try (var pop = new ScriptedPop3Server("secret", false)) {
      for (var c : HardCases.exactDuplicates()) {
        pop.add(c.raw()); // identical headers: still two messages
      }
      pop.add(Pop3Contract.received("no-uidl", null, null, "Sun, 8 Mar 2026 10:00:00 +0000"));
      Account destination = destination();

      var first = Mailferry.migrate(source(pop, "secret"), destination, state);
      var second = Mailferry.migrate(source(pop, "secret"), destination, state);
      pop.add(Pop3Contract.received("no-uidl-later", null, null, "Sun, 8 Mar 2026 11:00:00 +0000"));
      var third = Mailferry.migrate(source(pop, "secret"), destination, state);

      assertThat(first.exitCode()).as(first.toString()).isZero();
      assertThat(first.out()).containsOnlyOnce("has no UIDL");
      assertThat(Pop3Contract.copied(first)).isEqualTo(3);
      assertThat(Pop3Contract.copied(second)).isZero();
      assertThat(Pop3Contract.copied(third)).isEqualTo(1);
      assertThat(shas(destination)).hasSize(4);
    }
  }

  @Test
  void a_mailbox_locked_by_another_session_is_retried_and_then_copied() throws Exception {
    try (var pop = new ScriptedPop3Server("secret", true)) {
      pop.add(Pop3Contract.received("locked", null, null, "Mon, 9 Mar 2026 10:00:00 +0000"));
      pop.refuseNextLogins(2);
      Account destination = destination();

      var run = Mailferry.migrate(source(pop, "secret"), destination, state);

      assertThat(run.exitCode()).as(run.toString()).isZero();
      assertThat(pop.logins()).isEqualTo(3);
      assertThat(shas(destination)).hasSize(1);
    }
  }

  @Test
  void a_mailbox_that_stays_locked_ends_with_exit_75_and_one_line() throws Exception {
    try (var pop = new ScriptedPop3Server("secret", true)) {
      pop.add(Pop3Contract.received("locked", null, null, "Mon, 9 Mar 2026 10:00:00 +0000"));
      pop.refuseNextLogins(1000);

      var run = Mailferry.migrate(source(pop, "secret"), destination(), state);

      assertThat(run.exitCode()).as(run.toString()).isEqualTo(75);
      assertThat(run.err()).contains("is busy").contains("[IN-USE]").doesNotContain("Exception");
      assertThat(pop.logins()).as("one try and the retries").isEqualTo(5);
    }
  }

  @Test
  void a_wrong_password_is_exit_77_and_never_echoed() throws Exception {
    try (var pop = new ScriptedPop3Server("secret", true)) {
      var run = Mailferry.migrate(source(pop, "not-the-secret"), destination(), state);

      assertThat(run.exitCode()).as(run.toString()).isEqualTo(77);
      assertThat(run.err())
          .contains("refused the login")
          .doesNotContain("not-the-secret")
          .doesNotContain("Exception");
      assertThat(pop.commands()).contains("PASS ***");
    }
  }

  @Test
  void a_uidl_the_server_reuses_for_another_message_is_copied_before_it_is_deleted()
      throws Exception {
    try (var pop = new ScriptedPop3Server("secret", true)) {
      byte[] first = Pop3Contract.received("first", null, null, "Mon, 9 Mar 2026 10:00:00 +0000");
      pop.add(first, "reused-1");
      // The next session: another message under the UIDL the deleted one had.
      byte[] second =
          Pop3Contract.received(
              "second, with a longer subject", null, null, "Tue, 10 Mar 2026 10:00:00 +0000");

      secondSessionCopiesBeforeDeleting(pop, first, second, () -> pop.add(second, "reused-1"));
    }
  }

  /**
   * Copies {@code first}, the one message on the server, with --delete-after-copy; then, in a
   * second session, {@code second}, which {@code addSecond} puts there: it is new, so it is copied
   * (RETR) before it is deleted (DELE).
   */
  private Account secondSessionCopiesBeforeDeleting(
      ScriptedPop3Server pop, byte[] first, byte[] second, Runnable addSecond) throws Exception {
    Account destination = destination();
    var run1 = Mailferry.migrate(source(pop, "secret"), destination, state, "--delete-after-copy");
    assertThat(run1.exitCode()).as(run1.toString()).isZero();
    assertThat(pop.count()).isZero();
    addSecond.run();
    int commandsBefore = pop.commands().size();

    var run2 = Mailferry.migrate(source(pop, "secret"), destination, state, "--delete-after-copy");

    assertThat(run2.exitCode()).as(run2.toString()).isZero();
    assertThat(Pop3Contract.copied(run2)).isEqualTo(1);
    assertThat(shas(destination))
        .containsExactlyInAnyOrder(TestMailbox.sha256(first), TestMailbox.sha256(second));
    List<String> session2 = pop.commands().subList(commandsBefore, pop.commands().size());
    assertThat(session2).containsSubsequence("RETR 1", "DELE 1");
    assertThat(pop.count()).isZero();
    return destination;
  }

  @Test
  void with_delete_older_than_a_reused_uidl_is_judged_by_its_own_date_not_the_old_messages()
      throws Exception {
    try (var pop = new ScriptedPop3Server("secret", true)) {
      byte[] old = Pop3Contract.received("old", null, null, "Mon, 6 Jan 2020 10:00:00 +0000");
      pop.add(old, "reused-1");
      Account destination = destination();
      var run1 =
          Mailferry.migrate(source(pop, "secret"), destination, state, "--delete-older-than", "30");
      assertThat(run1.exitCode()).as(run1.toString()).isZero();
      assertThat(pop.count()).as("copied, old enough: deleted").isZero();
      // A recent message reuses the UIDL: it is new (copied) and too young to be deleted.
      String recent =
          java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(
              java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).minusDays(2));
      byte[] young = Pop3Contract.received("young, reusing the UIDL", null, null, recent);
      pop.add(young, "reused-1");

      var run2 =
          Mailferry.migrate(source(pop, "secret"), destination, state, "--delete-older-than", "30");

      assertThat(run2.exitCode()).as(run2.toString()).isZero();
      assertThat(shas(destination))
          .containsExactlyInAnyOrder(TestMailbox.sha256(old), TestMailbox.sha256(young));
      assertThat(pop.messages()).hasSize(1).first().isEqualTo(young);
    }
  }

  // --- TOP is optional (RFC 1939), and a message the server cannot read answers RETR with -ERR:
  // such a message is never taken for another one, never called gone, never deleted uncopied,
  // and never judged by a date it lacks.

  @Test
  void without_uidl_or_top_a_new_message_of_the_same_size_is_copied_before_it_is_deleted()
      throws Exception {
    try (var pop = new ScriptedPop3Server("secret", false)) {
      pop.refuse("TOP", 0, "-ERR TOP not implemented");
      byte[] first = Pop3Contract.received("aaaa", null, null, "Mon, 9 Mar 2026 10:00:00 +0000");
      byte[] second = Pop3Contract.received("bbbb", null, null, "Mon, 9 Mar 2026 10:00:00 +0000");
      assertThat(second).hasSameSizeAs(first);
      pop.add(first);

      // The next session: another message, of the same size.
      Account destination =
          secondSessionCopiesBeforeDeleting(pop, first, second, () -> pop.add(second));

      pop.add(second.clone()); // and the same message again is known: nothing copied twice
      var run3 = Mailferry.migrate(source(pop, "secret"), destination, state);
      assertThat(run3.exitCode()).as(run3.toString()).isZero();
      assertThat(Pop3Contract.copied(run3)).isZero();
    }
  }

  @Test
  void without_uidl_a_message_refusing_top_and_retr_fails_by_name_and_stays_on_the_server()
      throws Exception {
    try (var pop = new ScriptedPop3Server("secret", false)) {
      pop.refuse("TOP", 0, "-ERR TOP not implemented");
      pop.refuse("RETR", 2, "-ERR message\u001b[31m unreadable");
      byte[] readable =
          Pop3Contract.received("readable", null, null, "Mon, 9 Mar 2026 10:00:00 +0000");
      byte[] unreadable =
          Pop3Contract.received("unreadable", null, null, "Mon, 9 Mar 2026 11:00:00 +0000");
      pop.add(readable);
      pop.add(unreadable);
      Account destination = destination();

      var run = Mailferry.migrate(source(pop, "secret"), destination, state, "--delete-after-copy");

      System.out.println(run); // the summary, for a failure's reader
      assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
      assertThat(run.out())
          .contains("message 2")
          .contains("message\\x1B[31m unreadable")
          .doesNotContain("\u001b")
          .doesNotContain("Exception");
      assertThat(shas(destination)).containsExactly(TestMailbox.sha256(readable));
      assertThat(pop.messages()).hasSize(1).first().isEqualTo(unreadable);
    }
  }

  @Test
  void a_retr_answered_with_err_is_a_failed_message_named_with_the_servers_words_and_never_deleted()
      throws Exception {
    try (var pop = new ScriptedPop3Server("secret", true)) {
      byte[] one = Pop3Contract.received("one", null, null, "Mon, 9 Mar 2026 10:00:00 +0000");
      byte[] two = Pop3Contract.received("two", null, null, "Mon, 9 Mar 2026 11:00:00 +0000");
      byte[] three = Pop3Contract.received("three", null, null, "Mon, 9 Mar 2026 12:00:00 +0000");
      pop.add(one, "u-one");
      pop.add(two, "u-two");
      pop.add(three, "u-three");
      pop.refuse("RETR", 2, "-ERR [SYS/PERM] cannot\u001b]0;x read message");
      Account destination = destination();

      var run = Mailferry.migrate(source(pop, "secret"), destination, state, "--delete-after-copy");

      System.out.println(run); // the summary, for a failure's reader
      assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
      assertThat(run.out())
          .containsPattern(
              "failed UID \\d+: .*message 2 \\(UIDL u-two\\).*"
                  + "\\[SYS/PERM\\] cannot\\\\x1B\\]0;x read message")
          .doesNotContain("expunged")
          .doesNotContain("\u001b")
          .doesNotContain("Exception");
      assertThat(shas(destination))
          .containsExactlyInAnyOrder(TestMailbox.sha256(one), TestMailbox.sha256(three));
      assertThat(pop.messages())
          .as("left on the server, though --delete-after-copy")
          .hasSize(1)
          .first()
          .isEqualTo(two);
    }
  }

  @Test
  void when_top_fails_the_date_is_the_retrieved_messages_and_an_undated_one_is_not_deleted_as_old()
      throws Exception {
    // The scripted destination shows each APPEND's date as sent (GreenMail reads "12:mm" as 00:mm).
    try (var pop = new ScriptedPop3Server("secret", true);
        var destination =
            new ScriptedImapDestination("\\Seen \\Flagged \\Answered \\Draft \\Deleted")) {
      pop.refuse("TOP", 0, "-ERR TOP not implemented");
      byte[] old = Pop3Contract.received("old", null, null, "Mon, 6 Jan 2020 10:00:00 +0000");
      byte[] undated =
          ("From: a@example.org\r\nSubject: undated\r\nMessage-ID: <undated@pop3.example.org>\r\n"
                  + "\r\nno Date: and no Received:\r\n")
              .getBytes(StandardCharsets.US_ASCII);
      pop.add(old);
      pop.add(undated);
      Account to = Account.imap("127.0.0.1", destination.port(), "scripted", "pw");
      Instant before = Instant.now().minusSeconds(2);

      var run = Mailferry.migrate(source(pop, "secret"), to, state, "--delete-older-than", "30");

      Instant after = Instant.now().plusSeconds(2);
      assertThat(run.exitCode()).as(run.toString()).isZero();
      assertThat(destination.appended()).hasSize(2);
      assertThat(appendedDate(destination, old)).isEqualTo(Instant.parse("2020-01-06T10:00:00Z"));
      assertThat(appendedDate(destination, undated))
          .as("the time of the copy")
          .isBetween(before, after);
      assertThat(pop.messages())
          .as("the old one deleted by its own date; the undated one kept")
          .hasSize(1)
          .first()
          .isEqualTo(undated);
      // A later run judges the undated message by the time of its copy, not as ancient.
      var rerun = Mailferry.migrate(source(pop, "secret"), to, state, "--delete-older-than", "30");
      assertThat(rerun.exitCode()).as(rerun.toString()).isZero();
      assertThat(pop.messages()).hasSize(1);
      assertThat(destination.appended()).as("nothing copied twice").hasSize(2);
    }
  }

  private static Instant appendedDate(ScriptedImapDestination destination, byte[] raw) {
    String date =
        destination.appended().stream()
            .filter(a -> java.util.Arrays.equals(a.raw(), raw))
            .findFirst()
            .orElseThrow()
            .internalDate();
    return java.time.ZonedDateTime.parse(
            date.strip(),
            java.time.format.DateTimeFormatter.ofPattern(
                "d-MMM-yyyy HH:mm:ss Z", java.util.Locale.ENGLISH))
        .toInstant();
  }

  private static Account source(ScriptedPop3Server pop, String password) {
    return new Account("pop3", "127.0.0.1", pop.port(), "popper", password, null);
  }

  private static Account destination() {
    String user = "dst" + USERS.incrementAndGet();
    destinationServer.setUser(user + "@new.example", user, "pw-" + user);
    return Account.imap("127.0.0.1", destinationServer.getImap().getPort(), user, "pw-" + user);
  }

  private static List<String> shas(Account account) throws Exception {
    try (TestMailbox box = account.open()) {
      return box.messages("INBOX").stream()
          .map(TestMailbox.StoredMessage::sha256)
          .sorted()
          .toList();
    }
  }
}

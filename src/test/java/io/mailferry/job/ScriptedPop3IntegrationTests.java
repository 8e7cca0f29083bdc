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
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * POP3 servers whose behaviour the test chooses: no UIDL, a mailbox locked by another session,
 * a wrong password, and exact bytes (bare LF, no final line end, dot lines) served as stored.
 * The destination is GreenMail, or a scripted IMAP server where the exact bytes matter.
 */
@ExtendWith(QuickRetries.class)
class ScriptedPop3IntegrationTests {

  private static final AtomicInteger USERS = new AtomicInteger();

  @RegisterExtension
  static GreenMailExtension destinationServer =
      new GreenMailExtension(new ServerSetup(3144, "127.0.0.1", ServerSetup.PROTOCOL_IMAP).dynamicPort());

  @TempDir Path state;

  @Test
  void bytes_arrive_exactly_as_the_server_stores_them_bare_lf_and_missing_final_line_end_included() throws Exception {
    // Real servers (GreenMail, Dovecot) turn bare LF into CRLF on APPEND: the scripted destination
    // records the exact bytes mailferry sends.
    try (var pop = new ScriptedPop3Server("secret", true);
        var destination = new ScriptedImapDestination("\\Seen \\Flagged \\Answered \\Draft \\Deleted")) {
      for (var c : HardCases.all()) {
        pop.add(c.raw());
      }

      var run = Mailferry.migrate(source(pop, "secret"),
          Account.imap("127.0.0.1", destination.port(), "scripted", "pw"), state);

      assertThat(run.exitCode()).as(run.toString()).isZero();
      List<String> expected = HardCases.all().stream().map(c -> TestMailbox.sha256(c.raw())).sorted().toList();
      assertThat(destination.appended().stream().map(a -> TestMailbox.sha256(a.raw())).sorted().toList())
          .isEqualTo(expected);
    }
  }

  @Test
  void without_uidl_messages_are_keyed_by_their_headers_with_one_warning_and_reruns_copy_nothing() throws Exception {
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
      assertThat(run.err()).contains("refused the login").doesNotContain("not-the-secret").doesNotContain("Exception");
      assertThat(pop.commands()).contains("PASS ***");
    }
  }

  @Test
  void a_uidl_the_server_reuses_for_another_message_is_copied_before_it_is_deleted() throws Exception {
    try (var pop = new ScriptedPop3Server("secret", true)) {
      byte[] first = Pop3Contract.received("first", null, null, "Mon, 9 Mar 2026 10:00:00 +0000");
      pop.add(first, "reused-1");
      Account destination = destination();
      var run1 = Mailferry.migrate(source(pop, "secret"), destination, state, "--delete-after-copy");
      assertThat(run1.exitCode()).as(run1.toString()).isZero();
      assertThat(pop.count()).isZero();
      // The next session: another message under the UIDL the deleted one had.
      byte[] second = Pop3Contract.received("second, with a longer subject", null, null,
          "Tue, 10 Mar 2026 10:00:00 +0000");
      pop.add(second, "reused-1");
      int commandsBefore = pop.commands().size();

      var run2 = Mailferry.migrate(source(pop, "secret"), destination, state, "--delete-after-copy");

      assertThat(run2.exitCode()).as(run2.toString()).isZero();
      assertThat(Pop3Contract.copied(run2)).isEqualTo(1);
      assertThat(shas(destination)).containsExactlyInAnyOrder(TestMailbox.sha256(first), TestMailbox.sha256(second));
      List<String> session2 = pop.commands().subList(commandsBefore, pop.commands().size());
      assertThat(session2).containsSubsequence("RETR 1", "DELE 1");
      assertThat(pop.count()).isZero();
    }
  }

  @Test
  void with_delete_older_than_a_reused_uidl_is_judged_by_its_own_date_not_the_old_messages() throws Exception {
    try (var pop = new ScriptedPop3Server("secret", true)) {
      byte[] old = Pop3Contract.received("old", null, null, "Mon, 6 Jan 2020 10:00:00 +0000");
      pop.add(old, "reused-1");
      Account destination = destination();
      var run1 = Mailferry.migrate(source(pop, "secret"), destination, state, "--delete-older-than", "30");
      assertThat(run1.exitCode()).as(run1.toString()).isZero();
      assertThat(pop.count()).as("copied, old enough: deleted").isZero();
      // A recent message reuses the UIDL: it is new (copied) and too young to be deleted.
      String recent = java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME
          .format(java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).minusDays(2));
      byte[] young = Pop3Contract.received("young, reusing the UIDL", null, null, recent);
      pop.add(young, "reused-1");

      var run2 = Mailferry.migrate(source(pop, "secret"), destination, state, "--delete-older-than", "30");

      assertThat(run2.exitCode()).as(run2.toString()).isZero();
      assertThat(shas(destination)).containsExactlyInAnyOrder(TestMailbox.sha256(old), TestMailbox.sha256(young));
      assertThat(pop.messages()).hasSize(1).first().isEqualTo(young);
    }
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
      return box.messages("INBOX").stream().map(TestMailbox.StoredMessage::sha256).sorted().toList();
    }
  }
}

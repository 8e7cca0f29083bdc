package io.mailferry.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailferry.testsupport.Account;
import io.mailferry.testsupport.DovecotExtension;
import io.mailferry.testsupport.DovecotServer;
import io.mailferry.testsupport.Mailferry;
import io.mailferry.testsupport.TestMailbox;
import io.mailferry.testsupport.ThrottlingImapProxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Connection caps and rates against a real Dovecot that refuses a sixth login of a user
 * (mail_max_userip_connections=5): going over the cap would be a refusal, not a silent pass. Rates
 * are measured where a server would see them: the times of the APPENDs reaching it.
 */
class ThrottlingIntegrationTests {

  private static final int DOVECOT_CAP = 5;

  @RegisterExtension
  static DovecotExtension dovecot = new DovecotExtension(DovecotServer.Layout.SLASH, DOVECOT_CAP);

  @TempDir Path state;

  @Test
  void more_workers_than_connections_never_open_more_than_the_host_cap_and_copy_every_message_once()
      throws Exception {
    Account source = Account.onDovecot(dovecot.server(), "hostsrc");
    Account destination = Account.onDovecot(dovecot.server(), "hostdst");
    int folders = 16;
    fill(source, folders, 6, 3_000);
    AtomicInteger peakSource = new AtomicInteger();
    AtomicInteger peakDestination = new AtomicInteger();
    AtomicInteger samples = new AtomicInteger();
    AtomicBoolean running = new AtomicBoolean(true);
    Thread sampler =
        new Thread(
            () -> {
              while (running.get()) {
                peakSource.accumulateAndGet(
                    dovecot.server().activeImapConnections("hostsrc"), Math::max);
                peakDestination.accumulateAndGet(
                    dovecot.server().activeImapConnections("hostdst"), Math::max);
                samples.incrementAndGet();
              }
            });
    sampler.start();

    // 10 folders at once (worker threads), 10 connections allowed per account, 5 per host.
    var run =
        Mailferry.migrate(
            source,
            destination,
            state,
            "--max-connections",
            "10",
            "--max-host-connections",
            "5",
            "--max-messages-per-second",
            "40");
    running.set(false);
    sampler.join();

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(samples.get()).isGreaterThan(3);
    System.out.printf(
        "doveadm who, %d samples: peak %d source and %d destination connections (cap 5)%n",
        samples.get(), peakSource.get(), peakDestination.get());
    assertThat(peakSource.get()).isBetween(2, 5);
    assertThat(peakDestination.get()).isBetween(2, 5);
    // Never refused: Dovecot turned no login away, and mailferry never had to back off.
    assertThat(dovecot.server().log()).doesNotContain("Maximum number of connections");
    assertThat(Files.readString(state.resolve("mailferry.log"))).doesNotContain("slow down");
    assertSameMessages(source, destination, folders);
  }

  @Test
  void messages_per_second_hold_over_20_seconds_within_ten_percent() throws Exception {
    Account source = Account.onDovecot(dovecot.server(), "msgsrc");
    Account destination = Account.onDovecot(dovecot.server(), "msgdst");
    fill(source, 4, 28, 2_000);
    try (ThrottlingImapProxy proxy =
        new ThrottlingImapProxy(dovecot.server().host(), dovecot.server().imapPort())) {
      var run =
          Mailferry.migrate(
              source,
              viaProxy(destination, proxy),
              state,
              "--max-connections",
              "4",
              "--max-messages-per-second",
              "5");

      assertThat(run.exitCode()).as(run.toString()).isZero();
      List<ThrottlingImapProxy.Seen> appends = proxy.seen("APPEND");
      assertThat(appends).hasSize(112);
      double seconds = (appends.get(appends.size() - 1).nanos() - appends.get(0).nanos()) / 1e9;
      double rate = (appends.size() - 1) / seconds;
      System.out.printf(
          "--max-messages-per-second 5: %d APPENDs in %.1f s = %.2f messages/s%n",
          appends.size(), seconds, rate);
      assertThat(seconds).isGreaterThan(20);
      assertThat(rate).isBetween(4.5, 5.5);
    }
    assertSameMessages(source, destination, 4);
  }

  @Test
  void bytes_per_second_on_the_wire_hold_over_20_seconds_within_ten_percent() throws Exception {
    Account source = Account.onDovecot(dovecot.server(), "bytesrc");
    Account destination = Account.onDovecot(dovecot.server(), "bytedst");
    int size = 50 * 1024;
    fill(source, 4, 24, size);
    try (ThrottlingImapProxy proxy =
        new ThrottlingImapProxy(dovecot.server().host(), dovecot.server().imapPort())) {
      var run =
          Mailferry.migrate(
              source,
              viaProxy(destination, proxy),
              state,
              "--max-connections",
              "4",
              "--max-bytes-per-second",
              "200k");

      assertThat(run.exitCode()).as(run.toString()).isZero();
      // Messages go several to a command (MULTIAPPEND): measure when each one's last byte arrived.
      List<ThrottlingImapProxy.Seen> messages = proxy.seen(ThrottlingImapProxy.LITERAL_ARRIVED);
      assertThat(messages).hasSize(96);
      // Between the first message's last byte and the last one's, n-1 whole messages crossed the
      // wire.
      double seconds = (messages.get(messages.size() - 1).nanos() - messages.get(0).nanos()) / 1e9;
      double rate = (messages.size() - 1) * (double) size / seconds;
      System.out.printf(
          "--max-bytes-per-second 200k: %d messages of %d bytes in %.1f s = %.0f bytes/s (set %d)%n",
          messages.size(), size, seconds, rate, 200 * 1024);
      assertThat(seconds).isGreaterThan(20);
      assertThat(rate).isBetween(0.9 * 200 * 1024, 1.1 * 200 * 1024);
    }
    assertSameMessages(source, destination, 4);
  }

  static Account viaProxy(Account account, ThrottlingImapProxy proxy) {
    return Account.imap("127.0.0.1", proxy.port(), account.user(), account.password());
  }

  static void fill(Account account, int folders, int perFolder, int size) throws Exception {
    try (TestMailbox box = account.open()) {
      for (int f = 0; f < folders; f++) {
        String folder = "Folder" + f;
        box.createFolder(folder);
        for (int m = 0; m < perFolder; m++) {
          box.append(
              folder,
              LimitsIntegrationTests.message(account.user() + "f" + f + "m" + m, size),
              Set.of("\\Seen"),
              Instant.parse("2025-06-01T00:00:00Z").plusSeconds(f * 1000L + m));
        }
      }
    }
  }

  /**
   * Every folder holds the source's messages once each: same SHA-256s, none missing, none twice.
   */
  static void assertSameMessages(Account source, Account destination, int folders)
      throws Exception {
    try (TestMailbox from = source.open();
        TestMailbox to = destination.open()) {
      for (int f = 0; f < folders; f++) {
        String folder = "Folder" + f;
        List<String> expected =
            from.messages(folder).stream().map(TestMailbox.StoredMessage::sha256).sorted().toList();
        List<String> actual =
            to.messages(folder).stream().map(TestMailbox.StoredMessage::sha256).sorted().toList();
        assertThat(actual).as(folder).isEqualTo(expected);
      }
    }
  }
}

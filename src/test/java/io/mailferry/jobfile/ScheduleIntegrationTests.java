package io.mailferry.jobfile;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailferry.cli.ExitCodes;
import io.mailferry.testsupport.Account;
import io.mailferry.testsupport.ChildMailferry;
import io.mailferry.testsupport.DovecotExtension;
import io.mailferry.testsupport.DovecotServer;
import io.mailferry.testsupport.Mailferry;
import io.mailferry.testsupport.TestMailbox;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * `mailferry schedule DIR` in a child JVM, on seconds-level cron expressions, signalled as systemd
 * would.
 */
class ScheduleIntegrationTests {

  private static final Pattern ENDED =
      Pattern.compile("(\\w+): run ended: exit (\\d+) \\((\\S+)\\), (\\d+) messages");

  @RegisterExtension
  static DovecotExtension dovecot = new DovecotExtension(DovecotServer.Layout.SLASH);

  @TempDir Path dir;
  private Path log;

  @Test
  void
      a_job_runs_at_its_cron_times_the_second_run_copies_only_new_mail_and_missed_runs_are_reported()
          throws Exception {
    Account source = Account.onDovecot(dovecot.server(), "cronsrc");
    Account destination = Account.onDovecot(dovecot.server(), "crondst");
    fill(source, "first", 10);
    Path jobs = jobsDir("every5s", source, destination, "*/5 * * * * *");

    Process scheduler = schedule(jobs, source, destination, "first.log");
    List<Matcher> ends = awaitEnds(scheduler, 1);
    assertThat(ends.get(0).group(2)).as(output()).isEqualTo("0");
    assertThat(ends.get(0).group(4)).as(output()).isEqualTo("10");
    fill(source, "second", 3);
    // The next runs (every 5 s) copy the 3 new messages once, then nothing.
    while (count(destination) < 13) {
      ends = awaitEnds(scheduler, ends.size() + 1);
    }
    ends = awaitEnds(scheduler, ends.size() + 1);
    assertThat(ends).allSatisfy(m -> assertThat(m.group(2)).as(output()).isEqualTo("0"));
    // Incremental: the later runs copied the 3 new messages (in one run, or two if a run began
    // mid-append), never the 10.
    assertThat(ends.stream().skip(1).mapToInt(m -> Integer.parseInt(m.group(4))).sum())
        .as(output())
        .isEqualTo(3);
    assertThat(count(destination)).isEqualTo(13);
    assertThat(output()).contains("every5s: run started (migrate)");

    scheduler.destroy(); // SIGTERM
    assertThat(scheduler.waitFor(1, TimeUnit.MINUTES)).isTrue();
    assertThat(scheduler.exitValue()).as(output()).isZero();
    assertThat(output()).contains("schedule: stopped");
    System.out.println("Scheduler, every 5 s:\n" + output());

    Thread.sleep(11_000); // two or three fire times go by with no scheduler running
    Process again = schedule(jobs, source, destination, "again.log");
    awaitLine(again, "every5s: scheduled");
    again.destroy();
    assertThat(again.waitFor(1, TimeUnit.MINUTES)).isTrue();
    System.out.println("Scheduler started again:\n" + output());
    Matcher missed =
        Pattern.compile("every5s: (\\d+) run\\(s\\) missed while no scheduler ran .* not run now")
            .matcher(output());
    assertThat(missed.find()).as(output()).isTrue();
    assertThat(Integer.parseInt(missed.group(1)))
        .as("11 s at least went by: two fire times")
        .isGreaterThanOrEqualTo(2);
    assertThat(count(destination)).isEqualTo(13);
  }

  @Test
  void a_run_due_while_the_previous_one_goes_is_skipped_and_sigterm_leaves_the_run_resumable()
      throws Exception {
    Account source = Account.onDovecot(dovecot.server(), "slowsrc");
    Account destination = Account.onDovecot(dovecot.server(), "slowdst");
    int total = 2000;
    fill(source, "slow", total);
    Path jobs = jobsDir("everysecond", source, destination, "* * * * * *");

    Process scheduler = schedule(jobs, source, destination, "slow.log");
    awaitLine(scheduler, "is skipped: the previous run is still going");
    while (count(destination) == 0) {
      Thread.sleep(20);
    }
    scheduler.destroy(); // SIGTERM in the middle of a scheduled run
    assertThat(scheduler.waitFor(2, TimeUnit.MINUTES)).isTrue();
    String output = output();
    System.out.println("Scheduler stopped mid-run:\n" + output);
    assertThat(scheduler.exitValue()).as(output).isZero();
    assertThat(output)
        .containsOnlyOnce("everysecond: run started")
        .contains("everysecond: run ended: exit 75 (interrupted)")
        .contains("schedule: stopped");
    int stoppedAt = count(destination);
    assertThat(stoppedAt).as(output).isBetween(1, total - 1);

    // The job file run by hand continues the stopped run: every message arrives once.
    Mailferry.Result resumed =
        Mailferry.run(
            env(source, destination),
            "run",
            jobs.resolve("everysecond.yml").toString(),
            "--state-dir",
            dir.resolve("state").toString());
    assertThat(resumed.exitCode()).as(resumed.toString()).isEqualTo(ExitCodes.OK);
    try (TestMailbox box = destination.open()) {
      List<String> ids =
          box.messages("INBOX").stream().map(TestMailbox.StoredMessage::sha256).toList();
      assertThat(ids).hasSize(total).doesNotHaveDuplicates();
    }
  }

  private Path jobsDir(String name, Account source, Account destination, String cron)
      throws Exception {
    Path jobs = Files.createDirectories(dir.resolve("jobs"));
    Files.writeString(
        jobs.resolve(name + ".yml"),
        """
        kind: migrate
        from: %s
        to: %s
        trust-cert: %s
        max-connections: 1
        schedule:
          cron: "%s"
          zone: UTC
        """
            .formatted(source.url(), destination.url(), dovecot.server().certificatePem(), cron));
    // A job without a schedule is left to mailferry run.
    Files.writeString(
        jobs.resolve("by-hand.yml"),
        "kind: migrate\nfrom: " + source.url() + "\nto: " + destination.url() + "\n");
    return jobs;
  }

  private Process schedule(Path jobs, Account source, Account destination, String logName)
      throws Exception {
    log = dir.resolve(logName);
    return ChildMailferry.start(
        List.of("schedule", jobs.toString(), "--state-dir", dir.resolve("state").toString()),
        env(source, destination),
        log);
  }

  private static Map<String, String> env(Account source, Account destination) {
    return Map.of(
        "MAILFERRY_FROM_PASSWORD",
        source.password(),
        "MAILFERRY_TO_PASSWORD",
        destination.password(),
        "MAILFERRY_CHUNK_SIZE",
        "20");
  }

  /** Waits until the log has {@code n} "run ended" lines; returns them. */
  private List<Matcher> awaitEnds(Process process, int n) throws Exception {
    long deadline = System.currentTimeMillis() + 60_000;
    while (true) {
      List<Matcher> ends =
          ENDED
              .matcher(output())
              .results()
              .map(
                  r -> {
                    Matcher m = ENDED.matcher(r.group());
                    m.find();
                    return m;
                  })
              .toList();
      if (ends.size() >= n) {
        return ends;
      }
      assertThat(process.isAlive()).as(output()).isTrue();
      assertThat(System.currentTimeMillis()).as(output()).isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  private void awaitLine(Process process, String text) throws Exception {
    long deadline = System.currentTimeMillis() + 60_000;
    while (!output().contains(text)) {
      assertThat(process.isAlive()).as(output()).isTrue();
      assertThat(System.currentTimeMillis()).as(output()).isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  private String output() throws Exception {
    return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
  }

  private static void fill(Account account, String tag, int n) throws Exception {
    try (TestMailbox box = account.open()) {
      for (int i = 0; i < n; i++) {
        byte[] raw =
            ("From: a@example.org\r\nSubject: "
                    + tag
                    + " "
                    + i
                    + "\r\nMessage-ID: <"
                    + tag
                    + "-"
                    + i
                    + "@example.org>\r\n\r\n"
                    + "body line\r\n".repeat(100))
                .getBytes(StandardCharsets.US_ASCII);
        box.append("INBOX", raw, Set.of(), Instant.parse("2025-01-01T00:00:00Z").plusSeconds(i));
      }
    }
  }

  private static int count(Account account) throws Exception {
    try (TestMailbox box = account.open()) {
      return box.count("INBOX");
    }
  }
}

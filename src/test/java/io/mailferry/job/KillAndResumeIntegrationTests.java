package io.mailferry.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailferry.cli.ExitCodes;
import io.mailferry.testsupport.Account;
import io.mailferry.testsupport.ChildMailferry;
import io.mailferry.testsupport.DovecotExtension;
import io.mailferry.testsupport.DovecotServer;
import io.mailferry.testsupport.TestMailbox;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line in a child JVM, killed at random moments, then run again: at the end the
 * destination holds every source message once, folder by folder (multisets of SHA-256). The seed is
 * printed so that a failure can be replayed.
 */
class KillAndResumeIntegrationTests {

  private static final List<String> FOLDERS = List.of("INBOX", "Work", "Lists/dev");
  private static final int PER_FOLDER = 150;
  private static final int TOTAL = 3 * PER_FOLDER;
  private static final int PLANNED_KILLS = 3;

  /**
   * Messages per second for runs that are to be stopped: about 5 s for the whole mailbox, so a
   * signal sent at a chosen count lands before the end (unpaced, MULTIAPPEND may finish between two
   * looks at the destination).
   */
  private static final String PACE = "90";

  @RegisterExtension
  static DovecotExtension dovecot = new DovecotExtension(DovecotServer.Layout.SLASH);

  @TempDir protected Path state;
  private Path childLog;
  private int children;

  @Test
  void killed_with_sigkill_at_random_moments_then_run_again_every_message_arrives_once()
      throws Exception {
    long seed = System.nanoTime();
    System.out.println("KillAndResume SIGKILL seed=" + seed);
    Random random = new Random(seed);
    Account source = filledSource("k9src");
    Account destination = account("k9dst");

    int kills = 0;
    for (int i = 0; i < PLANNED_KILLS; i++) {
      int before = copied(destination);
      // A random moment after this run has copied something, within the first quarter of what is
      // left, so
      // that chunks in flight at the kill (3 connections of 20) cannot finish the folders.
      int threshold = before + 1 + random.nextInt(Math.max(1, (TOTAL - before) / 4));
      Process run = start(source, destination, "migrate", "--max-messages-per-second", PACE);
      assertThat(waitUntilCopied(run, destination, threshold))
          .as(
              "seed "
                  + seed
                  + ": run "
                  + i
                  + " still copying at "
                  + threshold
                  + " messages\n"
                  + lastOutput())
          .isTrue();
      ChildMailferry.kill(run); // SIGKILL: no chunk finishes, nothing is cleaned up
      kills++;
      int after = copied(destination);
      System.out.println(
          "KillAndResume killed run " + i + " at " + after + " of " + TOTAL + " messages");
      assertThat(after)
          .as("seed " + seed + ": killed mid-transfer, after copying some")
          .isBetween(before + 1, TOTAL - 1);
    }
    Process last = start(source, destination, "migrate");
    assertThat(last.waitFor(3, TimeUnit.MINUTES)).isTrue();
    String output = lastOutput();

    assertThat(kills).isEqualTo(PLANNED_KILLS);
    assertThat(last.exitValue()).as("seed " + seed + "\n" + output).isZero();
    assertSameMessages(source, destination, seed);
  }

  @Test
  void sigterm_stops_cleanly_with_exit_75_and_resume_finishes_the_job() throws Exception {
    long seed = System.nanoTime();
    System.out.println("KillAndResume SIGTERM seed=" + seed);
    Random random = new Random(seed);
    Account source = filledSource("termsrc");
    Account destination = account("termdst");

    Process run = start(source, destination, "migrate", "--max-messages-per-second", PACE);
    assertThat(waitUntilCopied(run, destination, 1 + random.nextInt(TOTAL / 2)))
        .as("seed " + seed + ": still copying when signalled\n" + lastOutput())
        .isTrue();
    run.destroy(); // SIGTERM
    assertThat(run.waitFor(2, TimeUnit.MINUTES)).isTrue();
    int exit = run.exitValue();
    String output = lastOutput();
    System.out.println("KillAndResume SIGTERM exit=" + exit + "\n" + output);
    assertThat(exit).as("seed " + seed + "\n" + output).isEqualTo(ExitCodes.TEMPORARY);
    assertThat(copied(destination)).as("stopped before the end").isLessThan(TOTAL);

    Process resume = start(source, destination, "resume");
    assertThat(resume.waitFor(3, TimeUnit.MINUTES)).isTrue();
    String resumed = lastOutput();

    assertThat(resume.exitValue()).as("seed " + seed + "\n" + resumed).isZero();
    assertSameMessages(source, destination, seed);
  }

  @Test
  void a_second_sigterm_quits_at_once_with_exit_75_and_the_run_is_still_resumable()
      throws Exception {
    Account source = filledSource("term2src");
    Account destination = account("term2dst");

    Process run = start(source, destination, "migrate");
    assertThat(waitUntilCopied(run, destination, 1)).as("copying has started").isTrue();
    run.destroy(); // SIGTERM: stop after the chunks in flight ...
    Thread.sleep(50);
    run.destroy(); // ... and again: quit now
    assertThat(run.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String output = lastOutput();
    System.out.println("KillAndResume double SIGTERM:\n" + output);
    // Whether the first stop or the second signal ended it, the run says so and exits 75.
    assertThat(run.exitValue()).as(output).isEqualTo(ExitCodes.TEMPORARY);
    assertThat(output).contains("stopping after the chunks in flight");

    Process resume = start(source, destination, "migrate");
    assertThat(resume.waitFor(3, TimeUnit.MINUTES)).isTrue();
    assertThat(resume.exitValue()).as(lastOutput()).isZero();
    assertSameMessages(source, destination, 0);
  }

  @Test
  void the_same_migration_started_while_it_runs_is_refused_with_exit_79() throws Exception {
    // One big folder, so the first run is still copying when the second one has started up.
    Account source = account("locksrc");
    try (TestMailbox box = source.open()) {
      for (int i = 0; i < 3000; i++) {
        box.append(
            "INBOX",
            LimitsIntegrationTests.message("lock-" + i, 2_000),
            Set.of(),
            Instant.parse("2025-05-01T00:00:00Z").plusSeconds(i));
      }
    }
    Account destination = account("lockdst");
    // Held to 200 messages/s (15 s in all): MULTIAPPEND would otherwise finish before the second
    // process has started up.
    Process running = start(source, destination, "migrate", "--max-messages-per-second", "200");
    assertThat(waitUntilCopied(running, destination, 1)).as("the first run is copying").isTrue();

    List<String> again =
        new ArrayList<>(
            List.of(
                "migrate",
                "--from",
                source.url(),
                "--to",
                destination.url(),
                "--from-trust-cert",
                dovecot.server().certificatePem().toString(),
                "--to-trust-cert",
                dovecot.server().certificatePem().toString()));
    again.addAll(storeArgs());
    var second =
        io.mailferry.testsupport.Mailferry.run(
            env(source, destination), again.toArray(String[]::new));

    assertThat(second.exitCode()).as(second.toString()).isEqualTo(ExitCodes.ALREADY_RUNNING);
    assertThat(second.err()).contains("already running").contains("process " + running.pid());
    assertThat(running.waitFor(3, TimeUnit.MINUTES)).isTrue();
    assertThat(running.exitValue()).as(lastOutput()).isZero();
    try (TestMailbox from = source.open();
        TestMailbox to = destination.open()) {
      assertThat(to.count("INBOX")).isEqualTo(from.count("INBOX"));
    }
  }

  private Process start(Account source, Account destination, String command, String... extra)
      throws Exception {
    List<String> args = new ArrayList<>(List.of(command));
    if (command.equals("migrate")) {
      args.addAll(
          List.of(
              "--from",
              source.url(),
              "--to",
              destination.url(),
              "--max-connections",
              "3",
              "--from-trust-cert",
              dovecot.server().certificatePem().toString(),
              "--to-trust-cert",
              dovecot.server().certificatePem().toString()));
    }
    args.addAll(List.of(extra));
    args.addAll(storeArgs());
    childLog = state.resolve("child-" + (++children) + ".log");
    return ChildMailferry.start(args, env(source, destination), childLog);
  }

  /** The job store: the embedded H2 file here; a subclass runs the same tests on PostgreSQL. */
  protected List<String> storeArgs() {
    return List.of("--state-dir", state.toString());
  }

  protected Map<String, String> env(Account source, Account destination) {
    return Map.of(
        "MAILFERRY_FROM_PASSWORD",
        source.password(),
        "MAILFERRY_TO_PASSWORD",
        destination.password(),
        "MAILFERRY_CHUNK_SIZE",
        "20");
  }

  /**
   * Waits until the destination holds at least {@code threshold} messages, so the signal lands
   * while messages are moving; false when the run ended first.
   */
  static boolean waitUntilCopied(Process run, Account destination, int threshold) throws Exception {
    while (run.isAlive()) {
      if (copied(destination) >= threshold) {
        return run.isAlive();
      }
      Thread.sleep(20);
    }
    return false;
  }

  /** The messages in the destination's folders, as the destination server counts them. */
  static int copied(Account destination) throws Exception {
    int copied = 0;
    try (TestMailbox box = destination.open()) {
      for (String folder : FOLDERS) {
        copied += box.count(destination.serverName(folder));
      }
    }
    return copied;
  }

  private String lastOutput() throws java.io.IOException {
    return java.nio.file.Files.readString(childLog, StandardCharsets.UTF_8);
  }

  private static Account filledSource(String user) throws Exception {
    return fill(account(user), FOLDERS, PER_FOLDER, "kill-");
  }

  /**
   * Fills the folders with {@code perFolder} messages of 6 to 12 kB each; every tenth message is an
   * exact duplicate of the one before, and both must arrive.
   */
  static Account fill(Account source, List<String> folders, int perFolder, String idPrefix)
      throws Exception {
    try (TestMailbox box = source.open()) {
      int n = 0;
      for (String folder : folders) {
        if (!folder.equals("INBOX")) {
          box.createFolder(folder);
        }
        for (int i = 0; i < perFolder; i++, n++) {
          int id = i % 10 == 9 ? n - 1 : n;
          box.append(
              folder,
              LimitsIntegrationTests.message(idPrefix + id, 6_000 + (id % 7) * 1_000),
              Set.of("\\Seen"),
              Instant.parse("2025-04-01T00:00:00Z").plusSeconds(id));
        }
      }
    }
    return source;
  }

  private static Account account(String user) {
    return Account.onDovecot(dovecot.server(), user);
  }

  private static void assertSameMessages(Account source, Account destination, long seed)
      throws Exception {
    Map<String, List<String>> from = new TreeMap<>();
    Map<String, List<String>> to = new TreeMap<>();
    try (TestMailbox s = source.open();
        TestMailbox d = destination.open()) {
      for (String folder : FOLDERS) {
        from.put(
            folder,
            s.messages(folder).stream().map(TestMailbox.StoredMessage::sha256).sorted().toList());
        to.put(
            folder,
            d.messages(folder).stream().map(TestMailbox.StoredMessage::sha256).sorted().toList());
      }
    }
    assertThat(to).as("seed " + seed).isEqualTo(from);
  }
}

package io.mailferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailferry.testsupport.Mailferry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A password command is the user's code, run on mailferry's terms: a time limit that holds, output
 * read up to a bound, no secret of mailferry's in its environment, one sentence on each failure.
 * Secrets are read before anything connects, so these need no server.
 */
class PasswordCommandTests {

  private static final String UNREACHED = "imap://alice@127.0.0.1:9";

  @TempDir Path dir;

  @Test
  void a_command_that_never_answers_fails_when_its_time_is_up_and_runs_once() throws Exception {
    Path calls = dir.resolve("calls");
    long started = System.nanoTime();

    Mailferry.Result r =
        migrate(
            Map.of(),
            "--from-password-command",
            "echo call >> " + calls + "; sleep 75; echo pw",
            "--password-command-timeout",
            "2");

    long seconds = (System.nanoTime() - started) / 1_000_000_000L;
    assertOneSentence(
        r, "The source password command gave no answer in 2 s (see --password-command-timeout).");
    assertThat(seconds).as("wall time").isLessThan(8);
    assertThat(Files.readAllLines(calls)).hasSize(1);
  }

  @Test
  void a_job_file_sets_the_time_limit_too() throws Exception {
    Path job =
        Files.writeString(
            dir.resolve("slow.yml"),
            """
        kind: migrate
        from: %s
        to: imap://bob@127.0.0.1:9
        from-secret: "command:sleep 75; echo pw"
        password-command-timeout: 1
        """
                .formatted(UNREACHED));
    long started = System.nanoTime();

    Mailferry.Result r =
        Mailferry.run(Map.of(), "run", job.toString(), "--state-dir", dir.resolve("s").toString());

    assertThat((System.nanoTime() - started) / 1_000_000_000L).as("wall time").isLessThan(15);
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.CONFIG);
    assertThat(r.err())
        .contains("The source password command gave no answer in 1 s")
        .doesNotContain("Exception")
        .doesNotContain("\tat ");
  }

  @Test
  void a_command_that_prints_without_end_is_one_sentence_not_out_of_memory() {
    Mailferry.Result r = migrate(Map.of(), "--from-password-command", "yes");

    assertOneSentence(
        r,
        "The source password command printed more than 64 KiB; it should print the secret on its "
            + "first line.");
  }

  @Test
  void
      a_command_that_leaves_a_child_behind_holding_its_output_answers_at_once_and_the_child_is_stopped()
          throws Exception {
    Path child = dir.resolve("child");
    long started = System.nanoTime();

    // The shell prints and exits; its background child keeps the output pipe open for 300 s.
    Mailferry.Result r =
        migrate(
            Map.of(),
            "--from-password-command",
            "sleep 300 & echo $! > " + child + "; echo pw",
            "--to-password-command",
            "exit 6",
            "--password-command-timeout",
            "20");

    assertThat((System.nanoTime() - started) / 1_000_000_000L).as("wall time").isLessThan(10);
    assertOneSentence(r, "The destination password command failed with exit code 6.");
    long pid = Long.parseLong(Files.readString(child).strip());
    var orphan = ProcessHandle.of(pid);
    if (orphan.isPresent()) {
      orphan.get().onExit().get(5, java.util.concurrent.TimeUnit.SECONDS);
    }
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive))
        .as("the child " + pid)
        .isNotEqualTo(java.util.Optional.of(true));
  }

  @Test
  void a_failing_or_silent_command_is_one_sentence_each() {
    assertOneSentence(
        migrate(Map.of(), "--from-password-command", "exit 3"),
        "The source password command failed with exit code 3.");
    assertOneSentence(
        migrate(Map.of(), "--from-password-command", "true"),
        "The source password command printed nothing.");
  }

  @Test
  void the_first_line_is_the_secret() throws Exception {
    Path calls = dir.resolve("calls");
    // The source's secret is the first line; the destination's command then fails, so nothing
    // connects.
    Mailferry.Result r =
        migrate(
            Map.of(),
            "--from-password-command",
            "printf 'pw\\nuser: alice\\n'; echo x >> " + calls,
            "--to-password-command",
            "exit 4");
    assertOneSentence(r, "The destination password command failed with exit code 4.");
    assertThat(Files.readAllLines(calls)).hasSize(1);
  }

  @Test
  void the_command_does_not_see_mailferrys_secrets_in_its_environment() throws Exception {
    Path dump = dir.resolve("env");
    Map<String, String> env =
        Map.of(
            "MAILFERRY_TO_PASSWORD",
            "To-Secret-5521",
            "MAILFERRY_DB_PASSWORD",
            "Db-Secret-7134",
            "MAILFERRY_FROM_PASSWORD",
            "From-Secret-3310",
            "MAILFERRY_CHUNK_SIZE",
            "7",
            "PLAIN_SETTING",
            "kept");

    Mailferry.Result r =
        migrate(
            env,
            "--from-password-command",
            "env > " + dump + "; echo pw",
            "--to-password-command",
            "exit 5");

    assertOneSentence(r, "The destination password command failed with exit code 5.");
    assertThat(Files.readString(dump))
        .contains("PLAIN_SETTING=kept")
        .contains("MAILFERRY_CHUNK_SIZE=7")
        .doesNotContain("To-Secret-5521")
        .doesNotContain("Db-Secret-7134")
        .doesNotContain("From-Secret-3310")
        .doesNotContain("PASSWORD");
  }

  @Test
  void a_time_limit_below_one_second_is_bad_usage() {
    Mailferry.Result r =
        migrate(Map.of(), "--from-password-command", "echo pw", "--password-command-timeout", "0");
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err().strip().lines().toList())
        .singleElement()
        .asString()
        .contains("--password-command-timeout");
  }

  private Mailferry.Result migrate(Map<String, String> env, String... options) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "migrate",
                "--from",
                UNREACHED,
                "--to",
                "imap://bob@127.0.0.1:9",
                "--state-dir",
                dir.resolve("state").toString()));
    args.addAll(List.of(options));
    return Mailferry.run(env, args.toArray(String[]::new));
  }

  private static void assertOneSentence(Mailferry.Result r, String sentence) {
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.CONFIG);
    assertThat(r.err().strip().lines().toList())
        .as(r.toString())
        .containsExactly("mailferry: " + sentence);
    assertThat(r.err() + r.out()).doesNotContain("Exception").doesNotContain("\tat ");
  }
}

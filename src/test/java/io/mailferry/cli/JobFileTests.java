package io.mailferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailferry.jobfile.JobFile;
import io.mailferry.jobfile.JobFileException;
import io.mailferry.jobfile.SecretRef;
import io.mailferry.testsupport.Mailferry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Job files as an admin writes them: the examples in jobs/ hold, and each mistake names its file,
 * line and key.
 */
class JobFileTests {

  /**
   * The three keys every migrate job has; each test adds the lines it is about (from line 4 on).
   */
  private static final String MIGRATE_ALICE =
      """
      kind: migrate
      from: imaps://alice@old.example.org
      to: imaps://alice@new.example.org
      """;

  @TempDir Path dir;

  @Test
  void every_example_in_jobs_loads_and_validates() throws Exception {
    List<Path> examples;
    try (Stream<Path> files = Files.list(Path.of("jobs"))) {
      examples = files.filter(f -> f.toString().endsWith(".yml")).sorted().toList();
    }
    assertThat(examples)
        .extracting(f -> f.getFileName().toString())
        .contains(
            "migrate-imap.yml", "pop3-to-imap.yml", "nightly-backup.yml", "bulk-from-csv.yml");
    for (Path example : examples) {
      JobFiles.Loaded loaded = JobFiles.load(example);
      assertThat(loaded.accounts()).as(example.toString()).isNotEmpty();
    }
    JobFiles.Loaded bulk = JobFiles.load(Path.of("jobs/bulk-from-csv.yml"));
    assertThat(bulk.job().bulk()).isTrue();
    assertThat(bulk.accounts())
        .extracting(a -> a.settings().from().toString() + " → " + a.settings().to())
        .containsExactly(
            "imaps://alice@old.example.org:993 → imaps://alice@new.example.org:993",
            "imaps://bob@old.example.org:993 → imaps://robert@new.example.org:993",
            "imaps://carol@old.example.org:993 → imaps://carol@new.example.org:993",
            "imaps://dave.smith@old.example.org:993 → imaps://dave@new.example.org:993",
            "imaps://ceo@old.example.org:993 → imaps://ceo@new.example.org:993");
    // Placeholders, per-line secrets and per-account options.
    assertThat(bulk.accounts().get(0).spec().fromSecret().value())
        .isEqualTo("/etc/mailferry/old/alice.pw");
    assertThat(bulk.accounts().get(2).spec().fromSecret().kind()).isEqualTo(SecretRef.Kind.ENV);
    assertThat(bulk.accounts().get(1).spec().toSecret().value())
        .isEqualTo("/usr/local/bin/new-mail-token robert");
    assertThat(bulk.accounts().get(0).settings().maxConnections()).isEqualTo(2);
    assertThat(bulk.accounts().get(4).settings().maxConnections()).isEqualTo(4);
    assertThat(bulk.accounts().get(4).settings().includes()).containsExactly("INBOX", "Board/*");
    assertThat(bulk.accounts().get(0).settings().excludes()).containsExactly("Trash");
    // Caps and rates of the job reach every account's settings; the shared host budget too.
    assertThat(bulk.accounts())
        .allSatisfy(
            a -> {
              assertThat(a.settings().throttling().maxHostConnections()).isEqualTo(10);
              assertThat(a.settings().throttling().hostBytesPerSecond()).isEqualTo(20L << 20);
            });

    JobFiles.Loaded backup = JobFiles.load(Path.of("jobs/nightly-backup.yml"));
    assertThat(backup.job().kind()).isEqualTo(JobFile.Kind.BACKUP);
    assertThat(backup.job().schedule().toString()).isEqualTo("\"0 15 2 * * *\" Europe/Berlin");
    assertThat(backup.accounts().get(0).settings().to().isArchive()).isTrue();
  }

  @Test
  void a_bad_option_value_is_exit_78_naming_the_file_line_and_key() throws Exception {
    Path job =
        write(
            "bad.yml",
            """
        # a comment
        kind: migrate
        from: imaps://alice@old.example.org
        to: imaps://alice@new.example.org

        max-connections: zero
        """);
    Mailferry.Result result =
        Mailferry.run(Map.of(), "run", job.toString(), "--state-dir", dir.resolve("s").toString());

    assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.CONFIG);
    assertThat(result.err())
        .startsWith("mailferry: " + job + ":6: max-connections: ")
        .contains("'zero'")
        .doesNotContain("Exception")
        .doesNotContain("\tat ");
  }

  @Test
  void every_mistake_is_listed_with_its_line() throws Exception {
    Path job =
        write(
            "many.yml",
            MIGRATE_ALICE
                + """
        max-conections: 3
        to-password: Hunter2-Secret
        quota-policy: sometimes
        include: {a: b}
        schedule: "61 * * * * *"
        """);
    JobFileException e = catchLoad(job);
    assertThat(e.exitCode()).isEqualTo(ExitCodes.CONFIG);
    assertThat(e.getMessage())
        .contains(job + ":4: max-conections: unknown key")
        .contains(job + ":5: to-password: a job file never holds a secret")
        .contains(job + ":7: include: takes a value or a list")
        .contains(job + ":8: schedule: '61 * * * * *' is not a cron expression")
        .doesNotContain("Hunter2-Secret");
    // Fix the structure: the option values are then checked by the migrate command's own rules.
    Files.writeString(
        job,
        MIGRATE_ALICE
            + """
        max-connections: 3
        quota-policy: sometimes
        """);
    assertThat(catchLoad(job).getMessage())
        .isEqualTo(job + ":5: quota-policy: --quota-policy must be warn, stop or ignore.");
  }

  @Test
  void a_literal_secret_reference_is_refused_without_echoing_it() throws Exception {
    Path job =
        write(
            "literal.yml",
            MIGRATE_ALICE
                + """
        from-secret: Hunter2-Secret
        """);
    assertThat(catchLoad(job).getMessage())
        .isEqualTo(
            job
                + ":4: from-secret: not a secret reference: write "
                + "env:VARIABLE, file:PATH or command:COMMAND (a job file never holds the secret itself).");
  }

  @Test
  void yaml_syntax_errors_missing_keys_and_csv_lines_point_at_their_line() throws Exception {
    Path broken = write("broken.yml", "kind: migrate\nfrom: imaps://a@b\n  to: : x\n");
    assertThat(catchLoad(broken).getMessage()).startsWith(broken + ":3: not valid YAML");

    Path missing = write("missing.yml", "kind: migrate\nfrom: imaps://a@old.example.org\n");
    assertThat(catchLoad(missing).getMessage())
        .isEqualTo(
            missing
                + ":1: to: missing: the destination (an imaps:// "
                + "URL, or a directory for a backup).");

    write(
        "accounts.csv",
        "from_user,to_user,from_secret\nalice,alice,env:A_PW\n\nbob,bob,Hunter2\n,carol\n");
    Path bulk =
        write(
            "bulk.yml",
            """
        kind: migrate
        from: imaps://old.example.org
        to: imaps://admin@new.example.org
        csv: accounts.csv
        """);
    Path csv = dir.resolve("accounts.csv");
    assertThat(catchLoad(bulk).getMessage())
        .contains(csv + ":4: from_secret: not a secret reference")
        .contains(csv + ":5: from_user: missing.")
        .contains(
            bulk
                + ":3: to: names a user, but the accounts give the users: write imaps://new.example.org.")
        .doesNotContain("Hunter2");
  }

  @Test
  void a_command_secret_in_a_csv_runs_only_when_the_job_file_says_csv_commands_true()
      throws Exception {
    write("accounts.csv", "from_user,from_secret\nalice,command:echo pw-alice\n");
    String bulk =
        """
        kind: migrate
        from: imaps://old.example.org
        to: imaps://new.example.org
        csv: accounts.csv
        """;
    Path job = write("bulk.yml", bulk);
    assertThat(catchLoad(job).getMessage())
        .isEqualTo(
            dir.resolve("accounts.csv")
                + ":2: from_secret: a command: "
                + "secret in the CSV runs only when the job file says csv-commands: true (whoever writes the CSV then runs "
                + "commands as this user).");

    Files.writeString(job, bulk + "csv-commands: true\n");
    SecretRef secret = JobFiles.load(job).accounts().get(0).spec().fromSecret();
    assertThat(secret.kind()).isEqualTo(SecretRef.Kind.COMMAND);
    assertThat(secret.value()).isEqualTo("echo pw-alice");
  }

  @Test
  void a_quoted_csv_field_holds_commas_and_line_ends_and_the_lines_after_it_keep_their_numbers()
      throws Exception {
    write(
        "accounts.csv",
        """
        from_user,to_user,from_secret
        "smith, john",john,"command:printf 'a,b'
        echo done"
        ,nobody
        "carol","unclosed
        """);
    Path job =
        write(
            "bulk.yml",
            """
        kind: migrate
        from: imaps://old.example.org
        to: imaps://new.example.org
        csv: accounts.csv
        csv-commands: true
        """);
    Path csv = dir.resolve("accounts.csv");
    assertThat(catchLoad(job).getMessage())
        .startsWith(csv + ":4: from_user: missing.")
        .endsWith("mailferry: " + csv + ":5: a quoted field is not closed.")
        .doesNotContain(":2:", ":3:", "echo");

    Files.writeString(
        csv,
        "from_user,to_user,from_secret\n\"smith, john\",john,\"command:printf 'a,b'\r\necho done\""
            + "\n# bob is done\nbob\n");
    List<JobFiles.Account> accounts = JobFiles.load(job).accounts();
    assertThat(accounts)
        .extracting(a -> a.settings().from().toString() + " → " + a.settings().to())
        .containsExactly(
            "imaps://smith, john@old.example.org:993 → imaps://john@new.example.org:993",
            "imaps://bob@old.example.org:993 → imaps://bob@new.example.org:993");
    assertThat(accounts.get(0).spec().fromSecret().value()).isEqualTo("printf 'a,b'\r\necho done");
  }

  @Test
  void an_accounts_csv_above_16_mib_is_refused_in_one_sentence_without_reading_it()
      throws Exception {
    Path csv = dir.resolve("accounts.csv");
    try (java.io.RandomAccessFile file = new java.io.RandomAccessFile(csv.toFile(), "rw")) {
      file.setLength((16L << 20) + 1);
    }
    Path job =
        write(
            "bulk.yml",
            """
        kind: migrate
        from: imaps://old.example.org
        to: imaps://new.example.org
        csv: accounts.csv
        """);
    assertOneSentence(
        job,
        ":4: csv: "
            + csv
            + " has 16385 KiB; an accounts CSV has at most 16384 KiB (split the job).");
    Files.writeString(csv, "from_user\nalice\n");
    assertThat(JobFiles.load(job).accounts()).hasSize(1);
  }

  @Test
  void
      a_user_name_goes_into_a_command_as_one_quoted_word_and_into_a_path_or_variable_only_as_a_plain_name()
          throws Exception {
    write(
        "accounts.csv",
        """
        from_user,to_user
        alice,alice
        "bob;touch x;echo",bob
        "it's",its
        carol,..
        dave,"da\0ve"
        erin,"er\033]0;x"
        frank,a/b
        """);
    Path job =
        write(
            "bulk.yml",
            """
        kind: backup
        from: imaps://old.example.org
        to: backup/{to_user}
        csv: accounts.csv
        from-secret: command:/usr/local/bin/token {from_user} --for {to_user}
        """);
    List<JobFiles.Account> accounts = JobFiles.load(job).accounts();
    assertThat(accounts)
        .extracting(a -> a.spec().refusal() == null ? a.spec().fromSecret().value() : "refused")
        .containsExactly(
            "/usr/local/bin/token alice --for alice",
            "/usr/local/bin/token 'bob;touch x;echo' --for bob",
            "/usr/local/bin/token 'it'\\''s' --for its",
            "refused",
            "refused",
            "refused",
            "refused");
    Path csv = dir.resolve("accounts.csv");
    assertThat(accounts.get(3).spec().refusal())
        .isEqualTo(
            csv
                + ":5: to: the user name '..' cannot go into the path "
                + "backup/{to_user}: a name in a path may not contain /, .., a NUL or a control character.");
    assertThat(accounts.get(5).spec().refusal()).contains("'er\\x1B]0;x'");
    assertThat(accounts.get(6).settings().to().directory())
        .as("nothing of a refused account is filled in")
        .isEqualTo(dir.resolve("backup/{to_user}").toAbsolutePath());

    // In a variable name a user is a plain name too: env:{from_user} must not read
    // MAILFERRY_DB_PASSWORD.
    write("accounts.csv", "from_user\nalice\nMAILFERRY_DB_PASSWORD x\n");
    Files.writeString(
        job,
        """
        kind: migrate
        from: imaps://old.example.org
        to: imaps://new.example.org
        csv: accounts.csv
        from-secret: env:PW_{from_user}
        """);
    accounts = JobFiles.load(job).accounts();
    assertThat(accounts.get(0).spec().refusal()).isNull();
    assertThat(accounts.get(1).spec().refusal())
        .isEqualTo(
            csv
                + ":3: from-secret: the user name "
                + "'MAILFERRY_DB_PASSWORD x' cannot go into the variable name PW_{from_user}: a name there is letters, "
                + "digits and _.");
  }

  @Test
  void a_placeholder_inside_quotes_in_a_command_is_refused() throws Exception {
    write("accounts.csv", "from_user\nalice\n");
    Path job =
        write(
            "bulk.yml",
            """
        kind: migrate
        from: imaps://old.example.org
        to: imaps://new.example.org
        csv: accounts.csv
        from-secret: command:token "{from_user}"
        """);
    assertThat(catchLoad(job).getMessage())
        .isEqualTo(
            job
                + ":5: from-secret: write {from_user} and {to_user} "
                + "outside quotes: mailferry puts each user into the command as one shell-quoted word.");
  }

  @Test
  void a_huge_or_alias_bombed_or_deeply_nested_job_file_ends_in_one_sentence_quickly()
      throws Exception {
    String value = "x".repeat(60_000);
    // 1.3 MB of aliases of one scalar (once out of heap), and a 20 MB comment (once 241 s).
    Path aliases =
        write(
            "aliases.yml",
            MIGRATE_ALICE + "v: &v " + value + "\ninclude:\n" + "  - *v\n".repeat(177_000));
    Path comment = write("comment.yml", MIGRATE_ALICE + "# " + "x".repeat(20 << 20) + "\n");
    assertOneSentence(
        aliases,
        ":1: the file has 1269 KiB; a job file has at most 1024 KiB (many accounts go in a CSV).");
    assertOneSentence(
        comment,
        ":1: the file has 20481 KiB; a job file has at most 1024 KiB (many accounts go in a CSV).");
    // Within the size: the aliases stand for 600 MB of text, the comment is one line of 1000 KiB.
    Files.writeString(
        aliases, MIGRATE_ALICE + "v: &v " + value + "\ninclude:\n" + "  - *v\n".repeat(10_000));
    Files.writeString(comment, MIGRATE_ALICE + "# " + "x".repeat(1_000_000) + "\n");
    assertOneSentence(
        aliases,
        ":1: its aliases (*name) make it stand for more than 2048 KiB of text; write the values "
            + "out, or put many accounts in a CSV.");
    assertOneSentence(comment, ":4: a line longer than 64 KiB; a job file has short lines.");
    Path nested =
        write(
            "nested.yml", MIGRATE_ALICE + "include: " + "[".repeat(5000) + "]".repeat(5000) + "\n");
    assertOneSentence(
        nested, ":1: nested more than 20 levels deep; a job file needs four at most.");
    Path laughs =
        write(
            "laughs.yml",
            MIGRATE_ALICE
                + "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
                + "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
                + "d: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n");
    assertOneSentence(laughs, ":1: more than 20 aliases (*name) of lists or keys.");
  }

  private void assertOneSentence(Path job, String sentence) {
    long start = System.nanoTime();
    JobFileException e = catchLoad(job);
    assertThat(e.exitCode()).isEqualTo(ExitCodes.CONFIG);
    assertThat(e.getMessage()).isEqualTo(job + sentence);
    assertThat(java.time.Duration.ofNanos(System.nanoTime() - start))
        .as(job.toString())
        .isLessThan(java.time.Duration.ofSeconds(3));
  }

  @Test
  void relative_paths_are_relative_to_the_job_files_folder() throws Exception {
    Path job =
        write(
            "relative.yml",
            """
        kind: backup
        from: imaps://alice@old.example.org
        to: archive/alice
        report: reports/alice.json
        """);
    JobFiles.Account account = JobFiles.load(job).accounts().get(0);
    assertThat(account.settings().to().directory())
        .isEqualTo(dir.resolve("archive/alice").toAbsolutePath());
    assertThat(account.command().run.report)
        .isEqualTo(dir.resolve("reports/alice.json").toAbsolutePath());
  }

  @Test
  void a_job_with_an_option_its_command_lacks_is_refused_with_the_commands_message()
      throws Exception {
    Path job =
        write(
            "mirror.yml",
            MIGRATE_ALICE
                + """
        mirrors: true
        """);
    assertThat(catchLoad(job).getMessage()).startsWith(job + ":4: mirrors: unknown key");
    Path backup =
        write(
            "backup.yml",
            """
        kind: backup
        from: imaps://alice@old.example.org
        to: imaps://alice@new.example.org
        """);
    assertThat(catchLoad(backup).getMessage())
        .startsWith(backup + ":3: to: backup writes to a directory");
  }

  private Path write(String name, String content) throws Exception {
    return Files.writeString(dir.resolve(name), content);
  }

  private static JobFileException catchLoad(Path job) {
    try {
      JobFiles.load(job);
    } catch (JobFileException e) {
      return e;
    }
    throw new AssertionError(job + " loaded without an error");
  }
}

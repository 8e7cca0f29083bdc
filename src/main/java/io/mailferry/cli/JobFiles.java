package io.mailferry.cli;

import io.mailferry.config.MigrationSettings;
import io.mailferry.jobfile.AccountSpec;
import io.mailferry.jobfile.JobFile;
import io.mailferry.jobfile.JobFileException;
import io.mailferry.jobfile.JobFileLoader;
import io.mailferry.jobfile.OptionValue;
import io.mailferry.jobfile.Position;
import io.mailferry.jobfile.Problem;
import io.mailferry.jobfile.SecretRef;
import io.mailferry.mail.MailferryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * A job file is the command line written down: each account's keys are handed to the migrate (or
 * backup) command as its options, so every option works in a job file, with the same checks and the
 * same messages, here tied to the file, line and key.
 */
final class JobFiles {

  private static final Pattern OPTION_NAME = Pattern.compile("--([a-z0-9][a-z0-9-]*)");

  /** A job file ready to run: each account with the settings its command line gives. */
  record Loaded(JobFile job, List<Account> accounts) {}

  /**
   * One account: the command holding its parsed options (secrets, report, dry run) and its
   * settings.
   *
   * @param secretVariables the environment variables any account of its job reads a secret from
   */
  record Account(
      AccountSpec spec,
      MigrateCommand command,
      MigrationSettings settings,
      Set<String> secretVariables) {}

  private JobFiles() {}

  /**
   * @throws JobFileException (exit 78) naming the file, line and key of every problem
   */
  static Loaded load(Path file) {
    JobFileLoader.Read read = JobFileLoader.read(file);
    JobFile job = read.job();
    Set<Problem> problems =
        new LinkedHashSet<>(read.problems()); // a top-level mistake comes once per account
    List<Account> accounts = new ArrayList<>();
    Set<String> secretVariables = secretVariables(job);
    for (AccountSpec spec : job.accounts()) {
      if (!spec.options().containsKey("from") || !spec.options().containsKey("to")) {
        continue; // already said
      }
      Account account = prepare(job, spec, secretVariables, problems);
      if (account != null) {
        accounts.add(account);
      }
    }
    if (!problems.isEmpty()) {
      List<Problem> sorted = new ArrayList<>(problems);
      sorted.sort(
          java.util.Comparator.comparing((Problem p) -> p.at().file().toString())
              .thenComparingInt(p -> p.at().line()));
      throw new JobFileException(sorted);
    }
    return new Loaded(job, accounts);
  }

  private static Set<String> secretVariables(JobFile job) {
    Set<String> names = new java.util.HashSet<>();
    for (AccountSpec spec : job.accounts()) {
      for (SecretRef ref : java.util.Arrays.asList(spec.fromSecret(), spec.toSecret())) {
        if (ref != null && ref.kind() == SecretRef.Kind.ENV) {
          names.add(ref.value());
        }
      }
    }
    return Set.copyOf(names);
  }

  private static Account prepare(
      JobFile job, AccountSpec spec, Set<String> secretVariables, Set<Problem> problems) {
    MigrateCommand command =
        job.kind() == JobFile.Kind.BACKUP ? new BackupCommand() : new MigrateCommand();
    CommandLine cli = new CommandLine(command);
    CommandSpec commandSpec = cli.getCommandSpec();
    List<String> args = new ArrayList<>();
    // An unknown key is left out and said; the others are still checked, so that one load lists
    // them all.
    spec.options().forEach((key, value) -> addOption(job, commandSpec, key, value, args, problems));
    secretClash(spec, "from", problems);
    secretClash(spec, "to", problems);
    try {
      cli.parseArgs(args.toArray(String[]::new));
    } catch (CommandLine.ParameterException e) {
      String key = e.getArgSpec() instanceof OptionSpec o ? o.longestName().substring(2) : null;
      problems.add(new Problem(where(spec, key), key, e.getMessage()));
      return null;
    }
    try {
      MigrationSettings settings = command.settings();
      command.secrets.check();
      return problems.isEmpty() ? new Account(spec, command, settings, secretVariables) : null;
    } catch (MailferryException e) {
      String key = keyNamedIn(e.getMessage(), spec);
      problems.add(new Problem(where(spec, key), key, e.getMessage()));
      return null;
    }
  }

  private static void addOption(
      JobFile job,
      CommandSpec commandSpec,
      String key,
      OptionValue value,
      List<String> args,
      Set<Problem> problems) {
    OptionSpec option = key.startsWith("-") ? null : commandSpec.findOption("--" + key);
    if (option == null) {
      problems.add(
          new Problem(
              value.at(),
              key,
              "unknown key: neither a job-file key nor an option of mailferry "
                  + job.kind().command()
                  + " (see mailferry "
                  + job.kind().command()
                  + " --help and jobs/README.md)."));
      return;
    }
    if (option.arity().max() == 0) {
      String flag = value.values().size() == 1 ? value.values().get(0) : "";
      if (value.list() || !(flag.equals("true") || flag.equals("false"))) {
        problems.add(new Problem(value.at(), key, "takes true or false."));
      } else if (flag.equals("true")) {
        args.add("--" + key);
      }
      return;
    }
    if (value.list() && !option.isMultiValue()) {
      problems.add(new Problem(value.at(), key, "takes one value, not a list."));
      return;
    }
    for (String v : value.values()) {
      args.add(
          "--"
              + key
              + "="
              + (isPath(option, key, job, v) ? folderOf(job).resolve(v).normalize() : v));
    }
  }

  /**
   * Paths in a job file are relative to its folder, not to wherever cron or systemd starts the
   * process: files (certificates, password files, reports) and a backup's directory.
   */
  private static boolean isPath(OptionSpec option, String key, JobFile job, String value) {
    boolean file =
        option.type() == Path.class
            || (option.auxiliaryTypes().length > 0 && option.auxiliaryTypes()[0] == Path.class);
    boolean backupDirectory =
        key.equals("to") && job.kind() == JobFile.Kind.BACKUP && !value.contains("://");
    return file || backupDirectory;
  }

  private static Path folderOf(JobFile job) {
    return job.path().toAbsolutePath().getParent();
  }

  private static void secretClash(AccountSpec spec, String side, Set<Problem> problems) {
    var ref = side.equals("from") ? spec.fromSecret() : spec.toSecret();
    for (String option : List.of(side + "-password-file", side + "-password-command")) {
      if (ref != null && spec.options().containsKey(option)) {
        problems.add(
            new Problem(
                spec.options().get(option).at(),
                option,
                "give the "
                    + side
                    + " secret once: "
                    + side
                    + "-secret or "
                    + option
                    + ", not both."));
      }
    }
  }

  /**
   * The key an error message is about: the first --option it names that the file sets, else the
   * side.
   */
  private static String keyNamedIn(String message, AccountSpec spec) {
    Matcher m = OPTION_NAME.matcher(message);
    while (m.find()) {
      if (spec.options().containsKey(m.group(1))) {
        return m.group(1);
      }
    }
    if (message.contains("source")) {
      return "from";
    }
    if (message.contains("destination") || message.contains("archive")) {
      return "to";
    }
    return null;
  }

  private static Position where(AccountSpec spec, String key) {
    OptionValue value = key == null ? null : spec.options().get(key);
    return value != null ? value.at() : spec.at();
  }

  /**
   * The job store every account of a loaded job runs on: `--workers remote` in a job checks, as on
   * the command line, that it is a shared (--db) one.
   */
  static void shareStore(Loaded loaded, StoreArgs store) {
    for (Account account : loaded.accounts()) {
      account.command().store.db = store.db;
    }
  }

  /**
   * The job store: the command line's --state-dir or --db, else the file's state-dir, db and
   * db-user keys (a path relative to the job file's folder), else the default.
   */
  static void applyStore(JobFile job, StoreArgs store) {
    if (store.stateDir != null || store.db != null) {
      return;
    }
    Path folder = folderOf(job);
    OptionValue stateDir = job.store().get("state-dir");
    OptionValue db = job.store().get("db");
    OptionValue dbUser = job.store().get("db-user");
    store.stateDir = stateDir == null ? null : folder.resolve(stateDir.values().get(0));
    store.db = db == null ? null : db.values().get(0);
    store.dbUser = dbUser == null ? null : dbUser.values().get(0);
  }
}

package io.mailferry.cli;

import io.mailferry.mail.MailferryException;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

@Command(
    name = "mailferry",
    mixinStandardHelpOptions = true,
    // -h, --help and -V, --version on every command too: "mailferry migrate --help" is the first
    // thing anyone types.
    scope = ScopeType.INHERIT,
    versionProvider = MailferryCommand.Version.class,
    description =
        "Moves and backs up mailboxes: IMAP to IMAP, faithfully, incrementally and resumably.",
    subcommands = {
      MigrateCommand.class,
      BackupCommand.class,
      RestoreCommand.class,
      VerifyCommand.class,
      ExportCommand.class,
      ResumeCommand.class,
      StatusCommand.class,
      ReportCommand.class,
      RunCommand.class,
      ScheduleCommand.class,
      WorkerCommand.class,
      DemoCommand.class,
      CommandLine.HelpCommand.class
    })
public final class MailferryCommand implements Runnable {

  final Map<String, String> env;
  final PrintStream out;
  final PrintStream err;

  // Global: accepted before or after the command name (mailferry --quiet migrate … or migrate …
  // --quiet).
  @Option(
      names = {"-q", "--quiet"},
      scope = ScopeType.INHERIT,
      description = "print only errors and the final one-line outcome")
  boolean quiet;

  @Option(
      names = {"-v", "--verbose"},
      scope = ScopeType.INHERIT,
      description =
          "debug logging of mailferry on the console and in the log file (never a secret)")
  boolean verbose;

  @Option(
      names = "--progress",
      scope = ScopeType.INHERIT,
      paramLabel = "MODE",
      description =
          "bar (a live line per account), lines (a line every 5 s) or none; "
              + "default: bar on a terminal, lines otherwise")
  String progress;

  MailferryCommand(Map<String, String> env, PrintStream out, PrintStream err) {
    this.env = env;
    this.out = out;
    this.err = err;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        new CommandLine(this),
        "a command is missing: migrate, backup, restore,"
            + " verify, export, resume, status, report, run, schedule, worker or demo");
  }

  /** How progress is shown: --progress, else a live bar on a terminal and plain lines elsewhere. */
  String progressMode() {
    if (quiet && verbose) {
      throw new MailferryException.BadUsage("Choose one of --quiet and --verbose.");
    }
    if (progress != null) {
      if (!progress.matches("bar|lines|none")) {
        throw new MailferryException.BadUsage("--progress must be bar, lines or none.");
      }
      return progress;
    }
    return quiet ? "none" : Terminal.isInteractive() ? "bar" : "lines";
  }

  /** The Spring properties that carry the output options into the job store's context. */
  Map<String, Object> outputProperties() {
    Map<String, Object> props = new HashMap<>();
    props.put("mailferry.progress", progressMode());
    // Read by logback-spring.xml: what reaches the console, and how much mailferry logs.
    props.put("mailferry.console-level", quiet ? "ERROR" : verbose ? "DEBUG" : "WARN");
    props.put("mailferry.progress-console-level", quiet ? "ERROR" : "INFO");
    props.put("mailferry.log-level", verbose ? "DEBUG" : "INFO");
    return props;
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = MailferryCommand.class.getPackage().getImplementationVersion();
      return new String[] {"mailferry " + (v == null ? "(development build)" : v)};
    }
  }
}

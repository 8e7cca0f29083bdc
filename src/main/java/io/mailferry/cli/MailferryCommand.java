package io.mailferry.cli;

import java.io.PrintStream;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(
    name = "mailferry",
    mixinStandardHelpOptions = true,
    versionProvider = MailferryCommand.Version.class,
    description = "Moves and backs up mailboxes: IMAP to IMAP, faithfully, incrementally and resumably.",
    subcommands = {MigrateCommand.class, BackupCommand.class, RestoreCommand.class, VerifyCommand.class,
        ExportCommand.class, ResumeCommand.class, StatusCommand.class, DemoCommand.class, WorkerCommand.class,
        CommandLine.HelpCommand.class})
public final class MailferryCommand implements Runnable {

  final Map<String, String> env;
  final PrintStream out;
  final PrintStream err;

  MailferryCommand(Map<String, String> env, PrintStream out, PrintStream err) {
    this.env = env;
    this.out = out;
    this.err = err;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(new CommandLine(this), "a command is missing: migrate, backup, restore, verify, export, resume, status, demo or worker");
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = MailferryCommand.class.getPackage().getImplementationVersion();
      return new String[] {"mailferry " + (v == null ? "(development build)" : v)};
    }
  }
}

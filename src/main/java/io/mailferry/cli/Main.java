package io.mailferry.cli;

import java.io.PrintStream;
import java.util.Map;
import picocli.CommandLine;

/** The entry point: one picocli command tree, one exit code, never a stack trace on the console. */
public final class Main {

  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args, System.getenv(), System.out, System.err));
  }

  /**
   * Runs a command line with the given environment (secrets come from it); returns the exit code.
   */
  public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    CommandLine cli = new CommandLine(new MailferryCommand(env, out, err));
    cli.setOut(new java.io.PrintWriter(out, true));
    cli.setErr(new java.io.PrintWriter(err, true));
    cli.setParameterExceptionHandler(
        (e, a) -> {
          err.println(
              "mailferry: " + e.getMessage() + " (see mailferry " + commandName(e) + "--help)");
          return ExitCodes.USAGE;
        });
    cli.setExecutionExceptionHandler(new FailureHandler(err));
    return cli.execute(args);
  }

  private static String commandName(CommandLine.ParameterException e) {
    String name = e.getCommandLine().getCommandName();
    return "mailferry".equals(name) ? "" : name + " ";
  }
}

package io.mailferry.cli;

import java.io.Console;

/** Whether a person watches: the standard streams are a terminal, not a file or a pipe. */
final class Terminal {

  private Terminal() {}

  static boolean isInteractive() {
    Console console = System.console();
    if (console == null) {
      return false;
    }
    // Since Java 22 System.console() is not null when redirected; isTerminal() (22+) tells.
    // The bytecode targets 17, hence the reflective call.
    try {
      return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
    } catch (ReflectiveOperationException olderJava) {
      return true;
    }
  }
}

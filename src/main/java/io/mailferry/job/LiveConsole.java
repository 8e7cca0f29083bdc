package io.mailferry.job;

import java.io.PrintStream;
import java.util.List;

/**
 * The live block of progress bars at the bottom of the terminal, one line per running account. Log
 * lines are printed above it (LiveConsoleAppender): the block is erased, the line written, the
 * block drawn again, so bars and messages never overwrite each other.
 */
public final class LiveConsole {

  private static final String UP_AND_CLEAR = "\033[1A\033[2K";

  private static final Object LOCK = new Object();
  private static PrintStream out;
  private static List<String> shown = List.of();

  private LiveConsole() {}

  /** Bars go to this stream from now on (standard error: standard output keeps the summary). */
  static void activate(PrintStream stream) {
    synchronized (LOCK) {
      out = stream;
      shown = List.of();
    }
  }

  static void deactivate() {
    synchronized (LOCK) {
      out = null;
      shown = List.of();
    }
  }

  /** Replaces the block with these lines. */
  static void draw(List<String> lines) {
    synchronized (LOCK) {
      if (out == null) {
        return;
      }
      erase();
      show(lines);
    }
  }

  /** Prints a line that stays (an account's last bar), then the block below it. */
  static void keep(String line, List<String> rest) {
    synchronized (LOCK) {
      if (out == null) {
        return;
      }
      erase();
      out.println(line);
      show(rest);
    }
  }

  /** Runs a write of other output (a log line) above the block. */
  static void above(Runnable write) {
    synchronized (LOCK) {
      if (out == null || shown.isEmpty()) {
        write.run();
        return;
      }
      List<String> again = shown;
      erase();
      out.flush();
      write.run();
      show(again);
    }
  }

  private static void erase() {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < shown.size(); i++) {
      s.append(UP_AND_CLEAR);
    }
    out.print(s.append('\r'));
    shown = List.of();
  }

  private static void show(List<String> lines) {
    StringBuilder s = new StringBuilder();
    lines.forEach(line -> s.append(line).append('\n'));
    out.print(s);
    out.flush();
    shown = List.copyOf(lines);
  }
}

package io.mailferry.job;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;

/** The console appender of logback-spring.xml: prints each line above the live progress bars. */
public class LiveConsoleAppender extends ConsoleAppender<ILoggingEvent> {

  @Override
  protected void subAppend(ILoggingEvent event) {
    LiveConsole.above(() -> super.subAppend(event));
  }
}

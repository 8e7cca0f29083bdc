package io.mailferry.job;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.mailferry.mail.Printable;

/**
 * {@code %safemsg} in logback-spring.xml: the log message with its control characters escaped.
 * Folder names and server words are chosen by others; printed raw, an ESC sequence in a folder name
 * reaches the user's terminal and a newline forges a log line of its own. One log event is
 * therefore always one line, on the console and in mailferry.log.
 */
public class SafeMessageConverter extends ClassicConverter {

  @Override
  public String convert(ILoggingEvent event) {
    return Printable.escape(event.getFormattedMessage());
  }
}

package io.mailferry.mail;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import io.mailferry.job.SafeMessageConverter;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class PrintableTests {

  @Test
  void an_escape_sequence_and_a_newline_in_a_folder_name_are_printed_escaped() {
    assertThat(Printable.escape("Inbox\u001b]0;owned\u0007\nmailferry: forged"))
        .isEqualTo("Inbox\\x1B]0;owned\\x07\\x0Amailferry: forged");
  }

  @Test
  void names_in_any_script_are_printed_as_they_are() {
    assertThat(Printable.escape("日本語/Проекты/Família")).isEqualTo("日本語/Проекты/Família");
  }

  @Property
  void no_escaped_name_holds_a_control_character(@ForAll String name) {
    assertThat(Printable.escape(name).chars().noneMatch(Character::isISOControl)).isTrue();
  }

  @Test
  void a_log_line_that_names_a_hostile_folder_stays_one_line() {
    LoggingEvent event =
        new LoggingEvent(
            "test",
            new LoggerContext().getLogger("io.mailferry.test"),
            Level.WARN,
            "{}: finished",
            null,
            new Object[] {"a\r\nmailferry: 0 failed\u001b[2J"});
    SafeMessageConverter converter = new SafeMessageConverter();

    String line = converter.convert(event);

    assertThat(line).isEqualTo("a\\x0D\\x0Amailferry: 0 failed\\x1B[2J: finished");
  }
}

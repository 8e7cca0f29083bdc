package io.mailferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/** "mailferry COMMAND --help" is the first thing anyone types: it must work for every command. */
class HelpOptionTests {

  static Stream<String> commands() {
    return new CommandLine(new MailferryCommand(Map.of(), System.out, System.err))
        .getSubcommands().keySet().stream().filter(name -> !name.equals("help"));
  }

  @ParameterizedTest
  @MethodSource("commands")
  void every_command_prints_its_usage_for_help_and_h_and_exits_0(String command) {
    for (String flag : new String[] {"--help", "-h"}) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();

      int code =
          Main.run(
              new String[] {command, flag},
              Map.of(),
              new PrintStream(out, true, StandardCharsets.UTF_8),
              new PrintStream(err, true, StandardCharsets.UTF_8));

      assertThat(code).as(command + " " + flag).isZero();
      assertThat(out.toString(StandardCharsets.UTF_8))
          .startsWith("Usage: mailferry " + command + " ");
      assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    }
  }
}

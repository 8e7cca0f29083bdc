package io.mailferry.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Which messages are read back after the destination stored them (issue 16, case 7). */
class AlterationRiskTests {

  private static final String HEAD = "From: a@example.org\r\nSubject: s\r\n";

  @Test
  void a_plain_message_and_8_bit_bytes_in_its_body_are_not_at_risk() {
    assertThat(AlterationRisk.of(message(HEAD + "\r\nplain body\r\n"))).isNull();
    assertThat(AlterationRisk.of(message(HEAD + "\r\nZoë, 8-bit body\r\n"))).isNull();
    assertThat(AlterationRisk.of(message(HEAD + "\r\n" + "x".repeat(998) + "\r\n")))
        .as("998 is allowed")
        .isNull();
    assertThat(AlterationRisk.of(message(HEAD + "\r\nno final line end"))).isNull();
  }

  @Test
  void a_message_with_bytes_a_server_may_rewrite_is_at_risk() {
    assertThat(AlterationRisk.of(message("From: Zoë <a@example.org>\r\n\r\nbody\r\n")))
        .isEqualTo("raw 8-bit bytes in its header");
    assertThat(AlterationRisk.of(message("From: a@example.org\nSubject: s\n\nbody\n")))
        .isEqualTo("a bare LF");
    assertThat(AlterationRisk.of(message(HEAD + "\r\nbody\rmore\r\n"))).isEqualTo("a bare CR");
    assertThat(AlterationRisk.of(message(HEAD + "\r\nbody\r")))
        .as("a CR that ends the message")
        .isEqualTo("a bare CR");
    assertThat(AlterationRisk.of(message(HEAD + "\r\nnul\u0000\r\n"))).isEqualTo("a NUL byte");
  }

  @Test
  void a_line_over_998_bytes_is_at_risk_in_the_header_as_in_the_body() {
    assertThat(AlterationRisk.of(message(HEAD + "\r\n" + "x".repeat(999) + "\r\n")))
        .isEqualTo("a line over 998 bytes");
    assertThat(AlterationRisk.of(message("X-Long: " + "y".repeat(1000) + "\r\n\r\nbody\r\n")))
        .isEqualTo("a line over 998 bytes");
  }

  @Test
  void the_scan_carries_its_state_across_the_pieces_of_a_spooled_message() {
    // A CR as the last byte of one 64 KiB piece and its LF as the first of the next is no bare CR.
    StringBuilder text = new StringBuilder(HEAD + "\r\n");
    while (text.length() + 102 < 64 * 1024) {
      text.append("z".repeat(100)).append("\r\n");
    }
    text.append("z".repeat(64 * 1024 - 1 - text.length())).append("\r\nend\r\n");
    assertThat(text.charAt(64 * 1024 - 1)).isEqualTo('\r');
    assertThat(AlterationRisk.of(message(text.toString()))).isNull();
  }

  private static RawMessage message(String text) {
    return RawMessage.of(text.getBytes(StandardCharsets.UTF_8));
  }
}

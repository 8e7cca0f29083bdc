package io.mailferry.source.pop3;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailferry.mail.RawMessage;
import io.mailferry.testsupport.HardCases;
import io.mailferry.testsupport.ScriptedPop3Server;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RETR answers read back to the exact stored bytes, however the network splits them. */
class Pop3InputTests {

  @TempDir Path spool;

  @Test
  void every_hard_case_survives_stuffing_and_any_split_of_the_stream() throws IOException {
    for (long seed = 1; seed <= 20; seed++) {
      for (var c : HardCases.all()) {
        assertThat(roundTrip(c.raw(), seed)).as(c.name() + " seed " + seed).isEqualTo(c.raw());
      }
    }
  }

  @Test
  void a_large_message_full_of_dot_lines_is_spooled_and_comes_back_whole() throws IOException {
    Random random = new Random(7);
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes("Subject: dots\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    while (b.size() < Pop3Body.IN_MEMORY_LIMIT + 100_000) {
      b.writeBytes((random.nextInt(4) == 0 ? "." : "").getBytes(StandardCharsets.US_ASCII));
      b.writeBytes(
          (random.nextInt(3) == 0 ? ".." : "line " + random.nextInt())
              .getBytes(StandardCharsets.US_ASCII));
      b.writeBytes((random.nextBoolean() ? "\r\n" : "\n").getBytes(StandardCharsets.US_ASCII));
    }
    b.writeBytes("no final line end.".getBytes(StandardCharsets.US_ASCII));
    byte[] raw = b.toByteArray();

    assertThat(roundTrip(raw, 3)).isEqualTo(raw);
  }

  @Test
  void two_answers_back_to_back_are_told_apart() throws IOException {
    byte[] first = "A: 1\r\n\r\n.starts with a dot\r\n".getBytes(StandardCharsets.US_ASCII);
    byte[] second = "B: 2\r\n\r\nlast".getBytes(StandardCharsets.US_ASCII);
    InputStream wire =
        new SequenceInputStream(
            new java.io.ByteArrayInputStream(ScriptedPop3Server.stuffed(first)),
            new java.io.ByteArrayInputStream(ScriptedPop3Server.stuffed(second)));
    Pop3Input in = new Pop3Input(new Dribble(wire, new Random(5)));

    assertThat(read(in, first.length)).isEqualTo(first);
    assertThat(read(in, second.length)).isEqualTo(second);
  }

  private byte[] roundTrip(byte[] raw, long seed) throws IOException {
    Pop3Input in =
        new Pop3Input(
            new Dribble(
                new java.io.ByteArrayInputStream(ScriptedPop3Server.stuffed(raw)),
                new Random(seed)));
    return read(in, raw.length);
  }

  private byte[] read(Pop3Input in, long listedSize) throws IOException {
    Pop3Body body = new Pop3Body(listedSize, spool);
    in.readBody(body);
    try (RawMessage message = body.finish();
        InputStream bytes = message.open()) {
      return bytes.readAllBytes();
    }
  }

  /** Hands out the stream in random small pieces, as a network may. */
  private static final class Dribble extends FilterInputStream {
    private final Random random;

    Dribble(InputStream in, Random random) {
      super(in);
      this.random = random;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      return super.read(
          b, off, Math.min(len, 1 + random.nextInt(random.nextBoolean() ? 3 : 70_000)));
    }
  }
}

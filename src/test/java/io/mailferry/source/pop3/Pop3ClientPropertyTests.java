package io.mailferry.source.pop3;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailferry.mail.ConnectionSettings;
import io.mailferry.mail.Endpoint;
import io.mailferry.mail.MailferryException;
import io.mailferry.mail.RawMessage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Whatever bytes a POP3 server sends, each of the client's exchanges ends with a result or with one
 * of mailferry's own exceptions (a lost connection, a broken protocol), never another exception;
 * and a server that never stops sending is cut off after a bounded number of bytes.
 */
class Pop3ClientPropertyTests {

  private static final Endpoint SERVER =
      new Endpoint(Endpoint.Protocol.POP3, true, "popper", "127.0.0.1", 995);

  private static Path spool;

  @BeforeContainer
  static void spoolDir() throws IOException {
    spool = Files.createTempDirectory("pop3-property-spool");
  }

  @AfterContainer
  static void removeSpool() throws IOException {
    try (var files = Files.list(spool)) {
      assertThat(files.toList()).as("no spool file left behind").isEmpty();
    }
    Files.delete(spool);
  }

  /** The client's exchanges, each as the source folder runs it. */
  enum Exchange {
    GREET_AND_LOGIN,
    LIST,
    UIDL,
    TOP,
    RETR,
    DELE,
    QUIT
  }

  @Property(tries = 2000)
  void any_answer_gives_a_result_or_our_own_exception(
      @ForAll("answers") byte[] answer,
      @ForAll Exchange exchange,
      @ForAll @LongRange(min = 0, max = 10_000_000) long listedSize) {
    Pop3Client client =
        Pop3Client.over(SERVER, new ByteArrayInputStream(answer), new ByteArrayOutputStream());
    try {
      run(client, exchange, listedSize);
    } catch (MailferryException expected) {
      // one sentence for the user: what the client must end with when it cannot go on
      assertThat(expected.getMessage()).isNotBlank();
    }
  }

  @Property(tries = 40)
  void a_server_that_never_stops_sending_is_cut_off_after_a_bounded_number_of_bytes(
      @ForAll("answers") byte[] pattern,
      @ForAll Exchange exchange,
      @ForAll @LongRange(min = 0, max = 100_000) long listedSize) {
    Endless server = new Endless(pattern);
    Pop3Client client = Pop3Client.over(SERVER, server, OutputStream.nullOutputStream());
    try {
      run(client, exchange, listedSize);
    } catch (MailferryException expected) {
      assertThat(expected.getMessage()).isNotBlank();
    }
    // The largest answer read at all: a listing at its cap, or a message drained to its bound.
    long listing =
        (long) Pop3Client.MAX_MESSAGES * (Pop3Input.MAX_LISTING_LINE + 2)
            + Pop3Input.MAX_STATUS_LINE;
    long message = MessageBound.of(listedSize, 0).drain() + Pop3Input.MAX_STATUS_LINE + 64 * 1024;
    assertThat(server.served).isLessThanOrEqualTo(Math.max(listing, message) + 64 * 1024);
  }

  private static void run(Pop3Client client, Exchange exchange, long listedSize) {
    switch (exchange) {
      case GREET_AND_LOGIN -> client.greetAndLogin(() -> "secret", ConnectionSettings.defaults());
      case LIST -> client.list();
      case UIDL -> client.uidl();
      case TOP ->
          client.headers(List.of(1, 2), (n, body) -> HeaderSection.read(body, listedSize).sha256());
      case RETR ->
          client.retrieve(
              List.of(1, 2),
              (n, body) -> {
                Pop3Body collector =
                    new Pop3Body(listedSize, MessageBound.of(listedSize, 0), spool);
                try {
                  body.readBody(collector);
                  if (!collector.refused()) {
                    try (RawMessage raw = collector.finish()) {
                      assertThat(raw.size())
                          .isLessThanOrEqualTo(MessageBound.of(listedSize, 0).keep());
                    }
                  }
                } finally {
                  collector.discard();
                }
              });
      case DELE -> client.delete(List.of(1));
      case QUIT -> client.quit();
    }
  }

  /** Server answers from pieces that matter to a POP3 reader, mixed with arbitrary bytes. */
  @Provide
  Arbitrary<byte[]> answers() {
    Arbitrary<byte[]> tokens =
        Arbitraries.of(
                "+OK",
                "+OK ",
                "+OK\r\n",
                "-ERR [IN-USE] locked\r\n",
                "+ ",
                "\r\n",
                "\n",
                "\r",
                ".",
                ".\r\n",
                "..",
                " ",
                "\t",
                "1",
                "2",
                " 100",
                "1 100\r\n",
                "2 5\r\n",
                "1 uid-1\r\n",
                "0",
                "-1",
                "99999999999999999999",
                "4294967296",
                "STLS\r\n",
                "PIPELINING\r\n",
                "UIDL\r\n",
                "é",
                "\0",
                "\uFFFD")
            .map(s -> s.getBytes(StandardCharsets.UTF_8));
    Arbitrary<byte[]> raw = Arbitraries.bytes().array(byte[].class).ofMaxSize(16);
    Arbitrary<byte[]> longRun =
        Arbitraries.integers()
            .between(1, 20_000)
            .map(n -> "x".repeat(n).getBytes(StandardCharsets.US_ASCII));
    return Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(10, tokens),
            net.jqwik.api.Tuple.of(3, raw),
            net.jqwik.api.Tuple.of(1, longRun))
        .list()
        .ofMaxSize(60)
        .map(Pop3ClientPropertyTests::concat);
  }

  private static byte[] concat(List<byte[]> pieces) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    pieces.forEach(b::writeBytes);
    return b.toByteArray();
  }

  /**
   * Repeats a pattern for ever, counting what it served; a blocked read would hang the test, so
   * none blocks.
   */
  private static final class Endless extends InputStream {
    private final byte[] pattern;
    private int at;
    long served;

    Endless(byte[] pattern) {
      this.pattern = pattern.length == 0 ? new byte[] {'\n'} : pattern;
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      read(one, 0, 1);
      return one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      for (int i = 0; i < len; i++) {
        b[off + i] = pattern[at];
        at = (at + 1) % pattern.length;
      }
      served += len;
      if (served > 1L << 40) {
        throw new UncheckedIOException(new IOException("runaway"));
      }
      return len;
    }
  }
}

package io.mailferry.imap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.fail;

import io.mailferry.mail.ConnectionSettings;
import io.mailferry.mail.Endpoint;
import io.mailferry.mail.FolderInfo;
import io.mailferry.mail.MailferryException;
import io.mailferry.source.imap.ImapSource;
import io.mailferry.testsupport.ScriptedImapSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Whatever a source server answers to LIST, LSUB and NAMESPACE, reading its folders the way a run
 * does ({@link ImapSource#listFolders()}) gives folders or one of mailferry's own exceptions, never
 * another exception, and never hangs.
 */
class ImapListingPropertyIntegrationTests {

  private static ScriptedImapSource server;
  private static Path spool;

  @BeforeContainer
  static void start() throws IOException {
    server = new ScriptedImapSource();
    spool = Files.createTempDirectory("listing-property-spool");
  }

  @AfterContainer
  static void stop() throws IOException {
    server.close();
    Files.delete(spool);
  }

  @Property(tries = 250)
  void any_folder_listing_gives_folders_or_our_own_exception(
      @ForAll("answers") String list,
      @ForAll("answers") String lsub,
      @ForAll("namespaces") String namespace) {
    server.folderAnswers(list, lsub, namespace.isEmpty() ? null : namespace);
    try {
      List<FolderInfo> folders = listFolders();
      assertThat(folders)
          .allSatisfy(
              f -> {
                assertThat(f.path()).isNotNull();
                assertThat(f.serverName()).isNotNull();
              });
    } catch (MailferryException expected) {
      assertThat(expected.getMessage()).isNotBlank();
    }
  }

  @Example
  void an_attribute_list_without_its_closing_parenthesis_stops_the_run_as_a_protocol_violation() {
    server.folderAnswers("* LIST (\\Noselect \"/\" INBOX", "* LSUB () \"/\" INBOX", null);

    MailferryException e =
        catchThrowableOfType(
            MailferryException.class, ImapListingPropertyIntegrationTests::listFolders);

    assertThat(e).isInstanceOf(MailferryException.ProtocolViolation.class);
    assertThat(e.exitCode()).isEqualTo(76);
    assertThat(e.getMessage())
        .isEqualTo(
            "The source server 127.0.0.1:"
                + server.port()
                + " broke the protocol: its answer to LIST could not be read.");
  }

  /**
   * Lists the folders on a fresh connection; a server that stops answering is cut off by the I/O
   * timeout.
   */
  static List<FolderInfo> listFolders() {
    Endpoint endpoint = Endpoint.parse("imap://scripted@127.0.0.1:" + server.port(), "source");
    ConnectionSettings settings =
        ConnectionSettings.defaults().withIoTimeout(Duration.ofMillis(400));
    try (ImapStores stores =
        new ImapStores(new ImapConnector("source", endpoint, () -> "pw", settings), 1)) {
      CompletableFuture<List<FolderInfo>> listing =
          CompletableFuture.supplyAsync(() -> new ImapSource(stores, spool, 0).listFolders());
      try {
        return listing.get(10, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof RuntimeException r) {
          throw r;
        }
        throw new AssertionError(e.getCause());
      } catch (TimeoutException e) {
        return fail("reading the folders hung");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return fail("interrupted");
      }
    }
  }

  /**
   * Untagged answers built from the pieces a LIST or LSUB reader cares about, and some raw bytes.
   */
  @Provide
  Arbitrary<String> answers() {
    Arbitrary<String> line =
        Combinators.combine(verbs(), attributes(), separators(), names())
            .as(
                (verb, attributes, separator, name) ->
                    verb + attributes + " " + separator + " " + name);
    Arbitrary<String> raw = Arbitraries.strings().withCharRange('\0', '\u00ff').ofMaxLength(30);
    return Arbitraries.frequencyOf(
            Tuple.of(8, line),
            Tuple.of(1, raw),
            Tuple.of(
                1,
                Arbitraries.of(
                    "* LIST () \"/\" INBOX",
                    "* LIST (\\Noselect) \"/\" \"\"",
                    "* LSUB () \".\" INBOX",
                    "* OK still here",
                    "* 3 EXISTS",
                    "* LIST",
                    "* LSUB ",
                    "*",
                    "")))
        .list()
        .ofMaxSize(6)
        .flatMap(
            lines ->
                Arbitraries.of("\r\n", "\n", "\r\n\r\n", " ").map(end -> String.join(end, lines)));
  }

  private static Arbitrary<String> verbs() {
    return Arbitraries.of("* LIST ", "* LSUB ", "* list ", "* LIST", "* XLIST ");
  }

  private static Arbitrary<String> attributes() {
    Arbitrary<String> some =
        Arbitraries.of(
                "\\Noselect",
                "\\HasChildren",
                "\\HasNoChildren",
                "\\Sent",
                "\\trash",
                "\\NonExistent",
                "\\Marked",
                "\\",
                "\\\\",
                "Junk",
                "NIL",
                "\"\\Sent\"",
                "(",
                ")",
                "{3}\r\nabc",
                "\0",
                "é")
            .list()
            .ofMaxSize(5)
            .map(a -> "(" + String.join(" ", a) + ")");
    Arbitrary<String> huge =
        Arbitraries.integers().between(100, 3000).map(n -> "(" + "\\Flag ".repeat(n) + ")");
    Arbitrary<String> broken =
        Arbitraries.of("", "(", "(\\Noselect", "NIL", "()()", "(()", "\\Noselect", "(\"");
    return Arbitraries.frequencyOf(Tuple.of(6, some), Tuple.of(1, huge), Tuple.of(2, broken));
  }

  private static Arbitrary<String> separators() {
    return Arbitraries.of(
        "\"/\"",
        "\".\"",
        "NIL",
        "nil",
        "\"\"",
        "\"ab\"",
        "\"\\\"\"",
        "\"\\\\\"",
        "\"",
        "/",
        "\"\0\"",
        "\"&\"",
        "{1}\r\n/",
        "{2}\r\n/",
        "{0}\r\n",
        "\"\u001b\"",
        "\"\n\"",
        "\"\u00ff\"");
  }

  private static Arbitrary<String> names() {
    Arbitrary<String> text =
        Arbitraries.of(
                "INBOX",
                "inbox",
                "Sent",
                "a/b",
                "/lead",
                "trail/",
                "/",
                ".",
                "..",
                "a.b.",
                ".INBOX",
                "INBOX.",
                "INBOX/Sub",
                "&",
                "&-",
                "&AGQ-",
                "&ZeVnLIqe-",
                "&&&",
                "&AGQ",
                "&-&-",
                "&Jjo-&Jjo",
                "&////-",
                "&AAA-",
                "&2D3cAA-",
                "\0",
                "\u001b[31mred",
                "a\nb",
                "a\rb",
                "\t",
                "",
                " ",
                "NIL",
                "\u00e9",
                "*",
                "%",
                "\\",
                "\"",
                "Dup",
                "Dup",
                "x".repeat(300))
            .list()
            .ofMinSize(1)
            .ofMaxSize(3)
            .map(parts -> String.join("", parts));
    Arbitrary<String> quoted =
        text.map(t -> "\"" + t.replace("\\", "\\\\").replace("\"", "\\\"") + "\"");
    Arbitrary<String> badlyQuoted = text.map(t -> "\"" + t + "\"");
    Arbitrary<String> atom = text;
    Arbitrary<String> literal =
        Combinators.combine(text, Arbitraries.integers().between(-2, 2))
            .as((t, wrong) -> "{" + Math.max(0, t.length() + wrong) + "}\r\n" + t);
    Arbitrary<String> oddLiteral =
        Arbitraries.of(
            "{}\r\n",
            "{-1}\r\nx",
            "{99999999999}\r\nx",
            "{3+}\r\nabc",
            "{1",
            "{x}\r\n",
            "~{3}\r\nabc",
            "NIL");
    return Arbitraries.frequencyOf(
        Tuple.of(4, quoted),
        Tuple.of(2, badlyQuoted),
        Tuple.of(2, atom),
        Tuple.of(3, literal),
        Tuple.of(1, oddLiteral));
  }

  /** NAMESPACE answers ("" : the server does not announce NAMESPACE). */
  @Provide
  Arbitrary<String> namespaces() {
    Arbitrary<String> one =
        Combinators.combine(
                Arbitraries.of(
                    "\"\"",
                    "\"INBOX.\"",
                    "\"INBOX/\"",
                    "NIL",
                    "\"&\"",
                    "\"\0\"",
                    "{3}\r\nab",
                    "INBOX"),
                Arbitraries.of(
                    "\"/\"", "\".\"", "NIL", "\"\"", "\"ab\"", "\"\\\\\"", "\"", "{1}\r\n."))
            .as((prefix, separator) -> "(" + prefix + " " + separator + ")");
    Arbitrary<String> personal =
        Arbitraries.frequencyOf(
            Tuple.of(
                5, one.list().ofMinSize(1).ofMaxSize(2).map(l -> "(" + String.join("", l) + ")")),
            Tuple.of(1, Arbitraries.of("NIL", "()", "(", "((", "(()", "((\"\" \"/\") NIL)", "")));
    Arbitrary<String> rest =
        Arbitraries.of(" NIL NIL", " NIL", "", " ((\"~\" \"/\")) ((\"#shared/\" \"/\"))", " x y z");
    Arbitrary<String> answer =
        Combinators.combine(personal, rest).as((p, r) -> "* NAMESPACE " + p + r);
    return Arbitraries.frequencyOf(
        Tuple.of(2, Arbitraries.just("")),
        Tuple.of(5, answer),
        Tuple.of(
            1,
            Arbitraries.strings()
                .withCharRange('\0', '\u00ff')
                .ofMaxLength(20)
                .map(s -> "* NAMESPACE " + s)));
  }
}

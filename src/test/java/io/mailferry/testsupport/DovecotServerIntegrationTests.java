package io.mailferry.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailferry.testsupport.DovecotServer.Layout;
import io.mailferry.testsupport.TestMailbox.StoredMessage;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Proves the Dovecot test support: both layouts, byte-exact round trips, special-use folders,
 * quota, limits.
 */
class DovecotServerIntegrationTests {

  private static final Map<Layout, DovecotServer> SERVERS = new EnumMap<>(Layout.class);
  private static final AtomicInteger USERS = new AtomicInteger();
  private static final Instant INTERNAL_DATE = Instant.parse("2021-03-04T05:06:07Z");

  @RegisterExtension
  static final DovecotExtension WITHOUT_CONDSTORE =
      new DovecotExtension(Layout.SLASH).withoutCondstore();

  @BeforeAll
  static void startBothLayoutsAtOnce() {
    // Started in parallel on purpose: instances must not conflict (ports, base_dir, instance name).
    CompletableFuture<DovecotServer> slash =
        CompletableFuture.supplyAsync(() -> DovecotServer.start(Layout.SLASH));
    CompletableFuture<DovecotServer> dot =
        CompletableFuture.supplyAsync(() -> DovecotServer.start(Layout.DOT_INBOX_PREFIX));
    SERVERS.put(Layout.SLASH, slash.join());
    SERVERS.put(Layout.DOT_INBOX_PREFIX, dot.join());
  }

  @AfterAll
  static void stopServers() {
    SERVERS.values().forEach(DovecotServer::close);
  }

  @ParameterizedTest
  @EnumSource(
      value = Layout.class,
      names = {"SLASH", "DOT_INBOX_PREFIX"}) // the two layouts of the other suites
  void namespaceAndSpecialUseFoldersFollowTheLayout(Layout layout) throws MessagingException {
    DovecotServer server = SERVERS.get(layout);
    String user = newUser(server);
    String p = layout == Layout.SLASH ? "" : "INBOX.";
    try (TestMailbox mailbox = login(server, user)) {
      assertThat(mailbox.separator()).isEqualTo(layout == Layout.SLASH ? '/' : '.');
      assertThat(mailbox.personalPrefix()).isEqualTo(p);
      assertThat(mailbox.specialUse())
          .containsExactlyInAnyOrderEntriesOf(
              Map.of(
                  p + "Sent",
                  "\\Sent",
                  p + "Drafts",
                  "\\Drafts",
                  p + "Trash",
                  "\\Trash",
                  p + "Junk",
                  "\\Junk",
                  p + "Archive",
                  "\\Archive"));
      assertThat(mailbox.subscribed())
          .containsExactlyInAnyOrder(
              p + "Sent", p + "Drafts", p + "Trash", p + "Junk", p + "Archive");
      assertThat(mailbox.folders()).contains("INBOX", p + "Sent");
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = Layout.class,
      names = {"SLASH", "DOT_INBOX_PREFIX"}) // the two layouts of the other suites
  void crlfMessageRoundTripsByteForByteInNestedNonAsciiFolder(Layout layout) throws Exception {
    DovecotServer server = SERVERS.get(layout);
    String user = newUser(server);
    String folder = layout == Layout.SLASH ? "Família/日本語" : "INBOX.Família.日本語";
    byte[] raw = message("\r\n", "<crlf-" + layout + "@test>");
    try (TestMailbox mailbox = login(server, user)) {
      mailbox.createFolder(folder);
      mailbox.subscribe(folder);
      long uid =
          mailbox.append(folder, raw, List.of("\\Flagged", "$Forwarded", "custom1"), INTERNAL_DATE);

      // Dovecot lists the implicit parent as \Noselect \HasChildren.
      String parent = folder.substring(0, folder.lastIndexOf(mailbox.separator()));
      assertThat(mailbox.folders()).contains(parent, folder);
      assertThat(mailbox.subscribed()).contains(folder);
      for (int read = 0; read < 2; read++) { // the second read proves the first did not set \Seen
        assertThat(mailbox.messages(folder))
            .singleElement()
            .isEqualTo(
                new StoredMessage(
                    uid,
                    TestMailbox.sha256(raw),
                    raw.length,
                    Set.of("\\Flagged", "$Forwarded", "custom1"),
                    INTERNAL_DATE,
                    "<crlf-" + layout + "@test>"));
      }
    }
    // On disk the folder name is modified UTF-7 (RFC 3501 5.1.3).
    Path onDisk =
        server
            .mailRoot(user)
            .resolve(layout == Layout.SLASH ? "Fam&AO0-lia/&ZeVnLIqe-" : ".Fam&AO0-lia.&ZeVnLIqe-");
    assertThat(onDisk.resolve("cur")).isDirectory();
  }

  @ParameterizedTest
  @EnumSource(
      value = Layout.class,
      names = {"SLASH", "DOT_INBOX_PREFIX"}) // the two layouts of the other suites
  void bareLfMessageIsStoredAsIsButServedWithCrlf(Layout layout) throws Exception {
    DovecotServer server = SERVERS.get(layout);
    String user = newUser(server);
    byte[] lf = message("\n", "<lf@test>");
    byte[] crlf = message("\r\n", "<lf@test>");
    try (TestMailbox mailbox = login(server, user)) {
      mailbox.append("INBOX", lf, List.of("\\Seen"), INTERNAL_DATE);

      // Dovecot quirk: the Maildir file keeps the LF bytes exactly, but FETCH BODY[] (and
      // RFC822.SIZE, the
      // "W=" virtual size) always use CRLF, as RFC 3501 requires. So a bare-LF message can only
      // ever be
      // read back as its CRLF form; migration tests must compare against that.
      StoredMessage stored = mailbox.messages("INBOX").get(0);
      assertThat(stored.sha256())
          .isEqualTo(TestMailbox.sha256(crlf))
          .isNotEqualTo(TestMailbox.sha256(lf));
      assertThat(stored.size()).isEqualTo(crlf.length);
      assertThat(stored.flags()).containsExactly("\\Seen");
    }
    try (Stream<Path> files = Files.list(server.mailRoot(user).resolve("cur"))) {
      assertThat(files.toList())
          .singleElement()
          .satisfies(file -> assertThat(Files.readAllBytes(file)).isEqualTo(lf));
    }
  }

  @Test
  void quotaIsEnforcedAndReportedByDoveadm() throws Exception {
    DovecotServer server = SERVERS.get(Layout.SLASH);
    String user = "quota" + USERS.incrementAndGet();
    server.addUser(user, "pw", 10, 3); // 10 KiB, 3 messages
    try (TestMailbox mailbox = TestMailbox.connect(server.host(), server.imapPort(), user, "pw")) {
      mailbox.append("INBOX", message("\r\n", "<q1@test>"), List.of(), null);
      byte[] big = new byte[20 * 1024];
      System.arraycopy(message("\r\n", "<big@test>"), 0, big, 0, 100);
      Arrays.fill(big, 100, big.length, (byte) 'x');
      // Dovecot rejects the APPEND with "Quota exceeded (mailbox for user is full)"
      assertThatThrownBy(() -> mailbox.append("INBOX", big, List.of(), null))
          .hasMessageContaining("Quota exceeded");
    }
    // Format: "Quota name Type Value Limit %" then one row per resource; STORAGE in KiB, "-" =
    // unlimited.
    String quota = server.doveadm("quota", "get", "-u", user);
    assertThat(quota.lines())
        .anySatisfy(l -> assertThat(l.trim().split("\\s+")).containsSequence("STORAGE", "1", "10"));
    assertThat(quota.lines())
        .anySatisfy(l -> assertThat(l.trim().split("\\s+")).containsSequence("MESSAGE", "1", "3"));
  }

  @Test
  void unknownUsersAndWrongPasswordsAreRejectedAsAuthenticationFailures() {
    DovecotServer server = SERVERS.get(Layout.DOT_INBOX_PREFIX);
    String user = newUser(server);
    // Per-user passwd-files: a missing file must mean "unknown user", not a temporary server
    // failure.
    assertThatThrownBy(
            () -> TestMailbox.connect(server.host(), server.imapPort(), "nobody-here", "secret"))
        .isInstanceOf(AuthenticationFailedException.class)
        .hasMessageContaining("AUTHENTICATIONFAILED");
    assertThatThrownBy(() -> TestMailbox.connect(server.host(), server.imapPort(), user, "wrong"))
        .isInstanceOf(AuthenticationFailedException.class)
        .hasMessageContaining("AUTHENTICATIONFAILED");
  }

  @Test
  void connectionLimitPerUserAndIpIsApplied() throws Exception {
    try (DovecotServer server = DovecotServer.start(Layout.SLASH, 2)) {
      server.addUser("limited", "pw");
      try (TestMailbox first = login(server, "limited");
          TestMailbox second = login(server, "limited")) {
        awaitConnections(server, "limited", 2);
        // Dovecot: "[LIMIT] Maximum number of connections from user+IP exceeded
        // (mail_max_userip_connections=2)"
        assertThatThrownBy(() -> login(server, "limited").close())
            .hasMessageContaining("Maximum number of connections");
      }
    }
  }

  @Test
  void theDefaultServerOffersCondstoreAndQresyncAndAnswersHighestModseq() throws Exception {
    DovecotServer server = SERVERS.get(Layout.SLASH);
    String user = newUser(server);
    try (RawImap imap = RawImap.login(server, user, "secret")) {
      assertThat(capabilities(imap.command("CAPABILITY"))).contains("CONDSTORE", "QRESYNC");
      assertThat(imap.command("STATUS INBOX (MESSAGES HIGHESTMODSEQ)"))
          .anySatisfy(
              l -> assertThat(l).matches("\\* STATUS INBOX \\(MESSAGES 0 HIGHESTMODSEQ \\d+\\)"))
          .last()
          .asString()
          .contains(" OK ");
    }
  }

  @Test
  void aServerWithoutCondstoreNeitherOffersNorHonoursCondstoreOrQresync() throws Exception {
    DovecotServer server = WITHOUT_CONDSTORE.server();
    assertThat(server.offersCondstore()).isFalse();
    String user = newUser(server);
    byte[] raw = message("\r\n", "<no-condstore@test>");
    try (TestMailbox mailbox = login(server, user)) {
      mailbox.append("INBOX", raw, List.of("\\Flagged", "custom1"), INTERNAL_DATE);
    }
    try (RawImap imap = RawImap.login(server, user, "secret")) {
      assertThat(capabilities(imap.loginAnswer()))
          .contains("IMAP4rev1", "MOVE", "UIDPLUS", "ENABLE")
          .doesNotContain("CONDSTORE", "QRESYNC", "STARTTLS");
      assertThat(capabilities(imap.command("CAPABILITY")))
          .contains("IMAP4rev1", "MOVE", "UIDPLUS")
          .doesNotContain("CONDSTORE", "QRESYNC", "STARTTLS");
      // Not answered: no untagged STATUS, a tagged BAD.
      assertThat(imap.command("STATUS INBOX (MESSAGES HIGHESTMODSEQ)"))
          .singleElement()
          .asString()
          .startsWith(imap.lastTag() + " BAD ");
      assertThat(imap.command("STATUS INBOX (MESSAGES UIDNEXT)"))
          .contains("* STATUS INBOX (MESSAGES 1 UIDNEXT 2)");
      // ENABLE leaves out what the server does not know (RFC 5161).
      assertThat(imap.command("ENABLE QRESYNC CONDSTORE"))
          .containsExactly("* ENABLED", imap.lastTag() + " OK Enabled");
      assertThat(imap.command("SELECT INBOX (CONDSTORE)"))
          .singleElement()
          .asString()
          .startsWith(imap.lastTag() + " BAD ");
      // Had the ENABLE reached Dovecot, this SELECT would report a HIGHESTMODSEQ.
      assertThat(imap.command("SELECT INBOX"))
          .contains("* 1 EXISTS")
          .noneSatisfy(l -> assertThat(l).contains("MODSEQ"))
          .last()
          .asString()
          .startsWith(imap.lastTag() + " OK ");
      assertThat(imap.command("UID FETCH 1:* (FLAGS) (CHANGEDSINCE 1)"))
          .singleElement()
          .asString()
          .startsWith(imap.lastTag() + " BAD ");
      assertThat(imap.command("UID FETCH 1:* (MODSEQ)"))
          .singleElement()
          .asString()
          .startsWith(imap.lastTag() + " BAD ");
    }
    // The message and its literal pass through both ways, byte for byte.
    try (TestMailbox mailbox = login(server, user)) {
      assertThat(mailbox.messages("INBOX"))
          .singleElement()
          .satisfies(
              m -> {
                assertThat(m.sha256()).isEqualTo(TestMailbox.sha256(raw));
                assertThat(m.flags()).containsExactlyInAnyOrder("\\Flagged", "custom1");
              });
    }
    assertThatThrownBy(server::imapsPort).isInstanceOf(IllegalStateException.class);
  }

  /** The capability names in a CAPABILITY response or a [CAPABILITY ...] response code. */
  private static List<String> capabilities(List<String> lines) {
    return lines.stream()
        .flatMap(
            l -> {
              int at = l.indexOf("CAPABILITY ");
              if (at < 0) {
                return Stream.empty();
              }
              String rest = l.substring(at + "CAPABILITY ".length());
              int end = rest.indexOf(']');
              return Arrays.stream((end < 0 ? rest : rest.substring(0, end)).split(" "));
            })
        .toList();
  }

  /** IMAP by hand on the plain port: sends commands the test names, returns the answer's lines. */
  private static final class RawImap implements AutoCloseable {
    private final Socket socket;
    private final BufferedReader in;
    private final Writer out;
    private int tags;
    private List<String> loginAnswer;

    private RawImap(Socket socket) throws IOException {
      this.socket = socket;
      socket.setSoTimeout(10_000);
      this.in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
      this.out = new OutputStreamWriter(socket.getOutputStream(), StandardCharsets.ISO_8859_1);
    }

    static RawImap login(DovecotServer server, String user, String password) throws IOException {
      RawImap imap = new RawImap(new Socket(server.host(), server.imapPort()));
      assertThat(imap.in.readLine()).startsWith("* OK ");
      imap.loginAnswer = imap.command("LOGIN " + user + " " + password);
      assertThat(imap.loginAnswer).last().asString().startsWith(imap.lastTag() + " OK ");
      return imap;
    }

    List<String> loginAnswer() {
      return loginAnswer;
    }

    String lastTag() {
      return "t" + tags;
    }

    /** The untagged lines and the tagged one, last. */
    List<String> command(String command) throws IOException {
      tags++;
      out.write(lastTag() + " " + command + "\r\n");
      out.flush();
      List<String> lines = new ArrayList<>();
      String line;
      do {
        line = in.readLine();
        assertThat(line).as("answer to " + command).isNotNull();
        lines.add(line);
      } while (!line.startsWith(lastTag() + " "));
      return lines;
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  private static void awaitConnections(DovecotServer server, String user, int expected)
      throws Exception {
    // anvil learns about logins asynchronously
    for (int i = 0; i < 50 && server.activeImapConnections(user) != expected; i++) {
      Thread.sleep(100);
    }
    assertThat(server.activeImapConnections(user)).isEqualTo(expected);
  }

  private static String newUser(DovecotServer server) {
    String user = "user" + USERS.incrementAndGet();
    server.addUser(user, "secret"); // added after start: the passwd-file is re-read
    return user;
  }

  private static TestMailbox login(DovecotServer server, String user) throws MessagingException {
    return TestMailbox.connect(
        server.host(), server.imapPort(), user, user.equals("limited") ? "pw" : "secret");
  }

  /**
   * A message with raw 8-bit UTF-8 in a header (no RFC 2047 encoding) and the given line ending.
   */
  private static byte[] message(String eol, String messageId) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String line :
        List.of(
            "From: Zoë <zoe@example.org>",
            "To: bob@example.org",
            "Subject: Grüße aus Köln",
            "Message-ID: " + messageId,
            "Date: Thu, 04 Mar 2021 05:06:07 +0000",
            "",
            "Hallo Bob,",
            "",
            "bis bald.")) {
      out.writeBytes((line + eol).getBytes(StandardCharsets.UTF_8));
    }
    return out.toByteArray();
  }
}

package io.mailferry.source.pop3;

import io.mailferry.mail.ConnectionSettings;
import io.mailferry.mail.Endpoint;
import io.mailferry.mail.MailferryException;
import io.mailferry.mail.Printable;
import io.mailferry.mail.Secret;
import io.mailferry.net.ConnectionFailures;
import io.mailferry.net.MailSessions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * One POP3 session (RFC 1939, CAPA and STLS from RFC 2449 / 2595), spoken directly rather than
 * through Jakarta Mail: we need the exact bytes of RETR streamed to a sink, the server's response
 * codes ([IN-USE], [SYS/TEMP]), pipelining, and control of when QUIT commits deletions. Not
 * thread-safe. Closing without {@link #quit()} deletes nothing (RFC 1939 section 6).
 *
 * <p>Every failure leaves as one of mailferry's own exceptions: a lost connection is temporary
 * (75), a server beyond our bounds ({@link Pop3Violation}: lines, listings, message sizes) is a
 * protocol violation (76); a session that failed is closed and never used again.
 */
final class Pop3Client implements AutoCloseable {

  /** How many commands are in flight at once when the server offers PIPELINING. */
  private static final int PIPELINE_WINDOW = 64;

  /**
   * The most messages a maildrop may list: each costs the run about a kilobyte while it copies the
   * mailbox, and no POP3 maildrop in use holds nearly this many. A listing without end would
   * otherwise take the heap.
   */
  static final int MAX_MESSAGES = 250_000;

  /** CAPA lists a dozen capabilities; RFC 2449 defines fewer than twenty. */
  static final int MAX_CAPABILITIES = 1000;

  /** RFC 1939 allows a UIDL up to 70 characters; this leaves room for servers that stretch it. */
  static final int MAX_UIDL = 255;

  /** A listed size beyond this (1 TiB) is no message size. */
  static final long MAX_SIZE = 1L << 40;

  private final Endpoint endpoint;
  private Socket socket;
  private Pop3Input in;
  private OutputStream out;
  private Set<String> capabilities = Set.of();
  private boolean broken;

  private final java.util.function.LongConsumer wire;

  private Pop3Client(Endpoint endpoint, java.util.function.LongConsumer wire) {
    this.endpoint = endpoint;
    this.wire = wire;
  }

  /**
   * Connects, secures (implicit TLS or STLS) and logs in; every failure is one sentence.
   *
   * @param wire counts the bytes crossing the wire and may make us wait (--max-bytes-per-second)
   */
  static Pop3Client open(
      Endpoint endpoint,
      Secret secret,
      ConnectionSettings settings,
      java.util.function.LongConsumer wire) {
    Pop3Client client = new Pop3Client(endpoint, wire);
    client.exchange(
        () -> {
          client.connect(settings);
          client.greet(settings);
          client.login(secret, settings);
          return null;
        });
    return client;
  }

  /** A session over streams that a test feeds, past connecting (no socket, no TLS). */
  static Pop3Client over(Endpoint endpoint, InputStream in, OutputStream out) {
    Pop3Client client = new Pop3Client(endpoint, n -> {});
    client.in = new Pop3Input(in);
    client.out = out;
    return client;
  }

  /**
   * For a session {@link #over} streams: the greeting, CAPA and the login (an implicit-TLS
   * endpoint: no STLS).
   */
  void greetAndLogin(Secret secret, ConnectionSettings settings) {
    exchange(
        () -> {
          greet(settings);
          login(secret, settings);
          return null;
        });
  }

  /** The one sentence for a failed exchange: a broken protocol (76), else as for any connection. */
  static MailferryException failure(Endpoint endpoint, IOException e) {
    if (e instanceof Pop3Violation) {
      return new MailferryException.ProtocolViolation(
          "The source server "
              + endpoint.host()
              + ":"
              + endpoint.port()
              + " broke the POP3 protocol: it "
              + e.getMessage()
              + ". Running mailferry again would meet the same"
              + " server; ask its administrator.",
          e);
    }
    return ConnectionFailures.classify("source", endpoint, e);
  }

  private interface Exchange<T> {
    T run() throws IOException;
  }

  /**
   * Runs one exchange with the server. On any failure the session's place in the conversation is
   * unknown (a handler may have stopped half-way through pipelined answers), so it is closed.
   */
  private <T> T exchange(Exchange<T> exchange) {
    try {
      return exchange.run();
    } catch (IOException e) {
      close();
      throw failure(endpoint, e);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  private void connect(ConnectionSettings settings) throws IOException {
    socket = new Socket();
    socket.setTcpNoDelay(true);
    socket.connect(
        new InetSocketAddress(endpoint.host(), endpoint.port()),
        (int) settings.connectTimeout().toMillis());
    socket = MailSessions.metered(socket, wire); // under TLS: what the network carries
    socket.setSoTimeout((int) settings.ioTimeout().toMillis());
    if (endpoint.implicitTls()) {
      secure(settings);
    } else {
      streams();
    }
  }

  private void greet(ConnectionSettings settings) throws IOException {
    expectOk(in.readLine()); // the greeting
    capabilities = readCapabilities();
    if (!endpoint.implicitTls()) {
      if (capabilities.contains("STLS")) {
        send("STLS");
        expectOk(in.readLine());
        secure(settings);
        capabilities = readCapabilities(); // RFC 2595: capabilities may change after STLS
      } else if (!settings.allowPlaintext() && !endpoint.isLoopback()) {
        throw new MailferryException.Unreachable(
            "The source host "
                + endpoint.host()
                + ":"
                + endpoint.port()
                + " does not offer STLS, and a password is not sent in clear: use pop3s:// or --allow-plaintext.",
            null);
      }
    }
  }

  private void secure(ConnectionSettings settings) throws IOException {
    SSLSocket tls =
        (SSLSocket)
            MailSessions.tlsSockets(settings)
                .createSocket(socket, endpoint.host(), endpoint.port(), true);
    SSLParameters params = tls.getSSLParameters();
    params.setEndpointIdentificationAlgorithm("HTTPS"); // checks the certificate names this host
    tls.setSSLParameters(params);
    tls.startHandshake();
    socket = tls;
    streams();
  }

  private void streams() throws IOException {
    in = new Pop3Input(socket.getInputStream());
    out = socket.getOutputStream();
  }

  private Set<String> readCapabilities() throws IOException {
    send("CAPA");
    if (!in.readLine().startsWith("+OK")) {
      return Set.of(); // a server older than RFC 2449
    }
    Set<String> caps = new TreeSet<>();
    int lines = 0;
    for (String line; (line = in.readListingLine()) != null; ) {
      if (++lines > MAX_CAPABILITIES) {
        throw new Pop3Violation("listed more than " + MAX_CAPABILITIES + " capabilities");
      }
      caps.add(line.strip().split(" ", 2)[0].toUpperCase(Locale.ROOT));
    }
    return caps;
  }

  private void login(Secret secret, ConnectionSettings settings) throws IOException {
    String answer;
    // The secret is read at each login: a token may have been refreshed since the last one.
    if (settings.xoauth2()) {
      String token =
          "user=" + endpoint.user() + "\u0001auth=Bearer " + secret.read() + "\u0001\u0001";
      send(
          "AUTH XOAUTH2 "
              + Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8)));
      answer = in.readLine();
      if (answer.startsWith("+ ")) {
        send(""); // the server sent an error challenge; an empty answer ends the exchange
        answer = in.readLine();
      }
    } else {
      send("USER " + endpoint.user());
      answer = in.readLine();
      if (answer.startsWith("+OK")) {
        send("PASS " + secret.read());
        answer = in.readLine();
      }
    }
    if (!answer.startsWith("+OK")) {
      throw loginRefused(answer);
    }
  }

  /** RFC 2449 / 3206 codes tell a busy mailbox from a wrong password; older servers say "lock". */
  private MailferryException loginRefused(String answer) {
    String text =
        Printable.escape(answer.startsWith("-ERR") ? answer.substring(4).strip() : answer.strip());
    String upper = text.toUpperCase(Locale.ROOT);
    if (upper.contains("[IN-USE]") || upper.contains("[SYS/TEMP]") || upper.contains("LOCK")) {
      return new MailferryException.Temporary(
          "The source POP3 mailbox of " + endpoint.user() + " is busy (server says: " + text + ").",
          null);
    }
    return new MailferryException.LoginRefused(
        "The source server "
            + endpoint.host()
            + " refused the login of "
            + endpoint.user()
            + (text.isEmpty() ? "" : " (" + text + ")")
            + ".",
        null);
  }

  boolean supportsUidl() {
    return capabilities.isEmpty() || capabilities.contains("UIDL");
  }

  /** Message number → size in octets, from LIST. */
  Map<Integer, Long> list() {
    return exchange(
        () -> {
          command("LIST");
          Map<Integer, Long> sizes = new LinkedHashMap<>();
          for (String line; (line = in.readListingLine()) != null; ) {
            String[] parts = fields(line, "LIST", sizes.size());
            // RFC 1939: a scan listing may carry more after the size.
            long size = number(parts[1].split("\\s+", 2)[0], MAX_SIZE, "LIST", line);
            if (sizes.put(messageNumber(parts[0], "LIST", line), size) != null) {
              throw new Pop3Violation(
                  "listed one message number twice in its answer to LIST (" + quoted(line) + ")");
            }
          }
          return sizes;
        });
  }

  /** Message number → unique id, or null when the server has no UIDL. */
  Map<Integer, String> uidl() {
    return exchange(
        () -> {
          send("UIDL");
          String status = in.readLine();
          if (!status.startsWith("+OK")) {
            return null;
          }
          Map<Integer, String> ids = new LinkedHashMap<>();
          for (String line; (line = in.readListingLine()) != null; ) {
            String[] parts = fields(line, "UIDL", ids.size());
            String id = parts[1];
            if (id.length() > MAX_UIDL) {
              throw new Pop3Violation("sent a UIDL longer than " + MAX_UIDL + " characters");
            }
            ids.put(messageNumber(parts[0], "UIDL", line), id);
          }
          return ids;
        });
  }

  /** The number and the rest of a listing line ("1 120", "1 abc"); its count bounded. */
  private static String[] fields(String line, String command, int listedSoFar) throws IOException {
    if (listedSoFar >= MAX_MESSAGES) {
      throw new Pop3Violation(
          "listed more than " + MAX_MESSAGES + " messages in its answer to " + command);
    }
    String[] parts = line.strip().split("\\s+", 2);
    if (parts.length < 2) {
      throw new Pop3Violation("answered " + command + " with the line " + quoted(line));
    }
    return parts;
  }

  private static int messageNumber(String text, String command, String line) throws IOException {
    long n = number(text, Integer.MAX_VALUE, command, line);
    if (n < 1) {
      throw new Pop3Violation("answered " + command + " with the line " + quoted(line));
    }
    return (int) n;
  }

  /** A decimal number from 0 to {@code max}, as a server must send it. */
  private static long number(String text, long max, String command, String line)
      throws IOException {
    if (text.isEmpty()
        || text.length() > 19
        || !text.chars().allMatch(c -> c >= '0' && c <= '9')
        || Long.parseLong(text) > max) {
      throw new Pop3Violation("answered " + command + " with the line " + quoted(line));
    }
    return Long.parseLong(text);
  }

  private static String quoted(String line) {
    return "\"" + Printable.escape(line.length() > 80 ? line.substring(0, 80) + "…" : line) + "\"";
  }

  /**
   * Reads the header section of each message (TOP n 0), pipelined when the server allows.
   *
   * @return the messages the server refused (-ERR), each with the server's words: TOP is optional
   *     (RFC 1939), so a caller must know which it did not get
   */
  Map<Integer, String> headers(List<Integer> numbers, MultilineHandler handler) {
    return exchange(() -> pipeline(numbers, n -> "TOP " + n + " 0", handler));
  }

  /**
   * Reads each whole message (RETR n), pipelined when the server allows.
   *
   * @return the messages the server refused (-ERR), each with the server's words
   */
  Map<Integer, String> retrieve(List<Integer> numbers, MultilineHandler handler) {
    return exchange(() -> pipeline(numbers, n -> "RETR " + n, handler));
  }

  /**
   * Sends up to a window of commands before reading their answers: their bytes are few, so the
   * socket buffers hold them, and the server streams answers back to back. A refusal is returned,
   * never dropped: which message it was, and what the server said (not yet escaped).
   */
  private Map<Integer, String> pipeline(
      List<Integer> numbers,
      java.util.function.IntFunction<String> command,
      MultilineHandler handler)
      throws IOException {
    Map<Integer, String> refused = new LinkedHashMap<>();
    int window = capabilities.contains("PIPELINING") ? PIPELINE_WINDOW : 1;
    int sent = 0;
    for (int received = 0; received < numbers.size(); received++) {
      StringBuilder batch = new StringBuilder();
      while (sent < numbers.size() && sent < received + window) {
        batch.append(command.apply(numbers.get(sent++))).append("\r\n");
      }
      if (!batch.isEmpty()) {
        write(batch.toString());
      }
      int n = numbers.get(received);
      String status = in.readLine();
      if (status.startsWith("+OK")) {
        handler.accept(n, in);
      } else {
        refused.put(n, status.strip());
      }
    }
    return refused;
  }

  void delete(List<Integer> numbers) {
    exchange(
        () -> {
          for (int n : numbers) {
            command("DELE " + n);
          }
          return null;
        });
  }

  /** Ends the session: only now does the server remove the messages marked with DELE. */
  void quit() {
    exchange(
        () -> {
          command("QUIT");
          return null;
        });
    close();
  }

  boolean isBroken() {
    return broken || socket == null || socket.isClosed();
  }

  private void command(String line) throws IOException {
    send(line);
    String answer = in.readLine();
    if (!answer.startsWith("+OK")) {
      throw new IOException(line.split(" ")[0] + " refused: " + Printable.escape(answer.strip()));
    }
  }

  private void send(String line) throws IOException {
    write(line + "\r\n");
  }

  private void write(String text) throws IOException {
    try {
      out.write(text.getBytes(StandardCharsets.UTF_8));
      out.flush();
    } catch (IOException e) {
      broken = true;
      throw e;
    }
  }

  private static void expectOk(String line) throws IOException {
    if (!line.startsWith("+OK")) {
      throw new IOException("the server answered " + Printable.escape(line.strip()));
    }
  }

  /** Closes the connection without QUIT, so nothing marked for deletion is deleted. */
  @Override
  public void close() {
    broken = true;
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing a dead connection: nothing to do
      }
    }
  }

  /** Receives one multi-line answer: it must read it to its end with {@link Pop3Input#readBody}. */
  @FunctionalInterface
  interface MultilineHandler {
    void accept(int number, Pop3Input body) throws IOException;
  }

  /** For diagnostics only: what the server said it can do. */
  List<String> capabilities() {
    return new ArrayList<>(capabilities);
  }
}

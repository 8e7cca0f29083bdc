package io.mailferry.source.pop3;

import io.mailferry.mail.ConnectionFailures;
import io.mailferry.mail.ConnectionSettings;
import io.mailferry.mail.Endpoint;
import io.mailferry.mail.MailSessions;
import io.mailferry.mail.MailferryException;
import io.mailferry.mail.Secret;
import java.io.IOException;
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
 * through Jakarta Mail: we need the exact bytes of RETR streamed to a sink, the server's
 * response codes ([IN-USE], [SYS/TEMP]), pipelining, and control of when QUIT commits deletions.
 * Not thread-safe. Closing without {@link #quit()} deletes nothing (RFC 1939 section 6).
 */
final class Pop3Client implements AutoCloseable {

  /** How many commands are in flight at once when the server offers PIPELINING. */
  private static final int PIPELINE_WINDOW = 64;

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
  static Pop3Client open(Endpoint endpoint, Secret secret, ConnectionSettings settings,
      java.util.function.LongConsumer wire) {
    Pop3Client client = new Pop3Client(endpoint, wire);
    try {
      client.connect(settings);
      client.login(secret, settings);
      return client;
    } catch (IOException e) {
      client.close();
      throw ConnectionFailures.classify("source", endpoint, e);
    } catch (RuntimeException e) {
      client.close();
      throw e;
    }
  }

  private void connect(ConnectionSettings settings) throws IOException {
    socket = new Socket();
    socket.setTcpNoDelay(true);
    socket.connect(new InetSocketAddress(endpoint.host(), endpoint.port()), (int) settings.connectTimeout().toMillis());
    socket = MailSessions.metered(socket, wire); // under TLS: what the network carries
    socket.setSoTimeout((int) settings.ioTimeout().toMillis());
    if (endpoint.implicitTls()) {
      secure(settings);
    } else {
      streams();
    }
    expectOk(in.readLine()); // the greeting
    capabilities = readCapabilities();
    if (!endpoint.implicitTls()) {
      if (capabilities.contains("STLS")) {
        send("STLS");
        expectOk(in.readLine());
        secure(settings);
        capabilities = readCapabilities(); // RFC 2595: capabilities may change after STLS
      } else if (!settings.allowPlaintext() && !endpoint.isLoopback()) {
        throw new MailferryException.Unreachable("The source host " + endpoint.host() + ":" + endpoint.port()
            + " does not offer STLS, and a password is not sent in clear: use pop3s:// or --allow-plaintext.", null);
      }
    }
  }

  private void secure(ConnectionSettings settings) throws IOException {
    SSLSocket tls = (SSLSocket) MailSessions.tlsSockets(settings)
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
    for (String line : in.readTextLines()) {
      caps.add(line.split(" ", 2)[0].toUpperCase(Locale.ROOT));
    }
    return caps;
  }

  private void login(Secret secret, ConnectionSettings settings) throws IOException {
    String answer;
    // The secret is read at each login: a token may have been refreshed since the last one.
    if (settings.xoauth2()) {
      String token = "user=" + endpoint.user() + "\u0001auth=Bearer " + secret.read() + "\u0001\u0001";
      send("AUTH XOAUTH2 " + Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8)));
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
    String text = answer.startsWith("-ERR") ? answer.substring(4).strip() : answer.strip();
    String upper = text.toUpperCase(Locale.ROOT);
    if (upper.contains("[IN-USE]") || upper.contains("[SYS/TEMP]") || upper.contains("LOCK")) {
      return new MailferryException.Temporary("The source POP3 mailbox of " + endpoint.user()
          + " is busy (server says: " + text + ").", null);
    }
    return new MailferryException.LoginRefused("The source server " + endpoint.host() + " refused the login of "
        + endpoint.user() + (text.isEmpty() ? "" : " (" + text + ")") + ".", null);
  }

  boolean supportsUidl() {
    return capabilities.isEmpty() || capabilities.contains("UIDL");
  }

  /** Message number → size in octets, from LIST. */
  Map<Integer, Long> list() throws IOException {
    Map<Integer, Long> sizes = new LinkedHashMap<>();
    command("LIST");
    for (String line : in.readTextLines()) {
      String[] parts = line.strip().split("\\s+");
      sizes.put(Integer.parseInt(parts[0]), Long.parseLong(parts[1]));
    }
    return sizes;
  }

  /** Message number → unique id, or null when the server has no UIDL. */
  Map<Integer, String> uidl() throws IOException {
    send("UIDL");
    String status = in.readLine();
    if (!status.startsWith("+OK")) {
      return null;
    }
    Map<Integer, String> ids = new LinkedHashMap<>();
    for (String line : in.readTextLines()) {
      String[] parts = line.strip().split("\\s+", 2);
      ids.put(Integer.parseInt(parts[0]), parts[1]);
    }
    return ids;
  }

  /** Reads the header section of each message (TOP n 0), pipelined when the server allows. */
  void headers(List<Integer> numbers, MultilineHandler handler) throws IOException {
    pipeline(numbers, n -> "TOP " + n + " 0", handler);
  }

  /** Reads each whole message (RETR n), pipelined when the server allows. */
  void retrieve(List<Integer> numbers, MultilineHandler handler) throws IOException {
    pipeline(numbers, n -> "RETR " + n, handler);
  }

  /**
   * Sends up to a window of commands before reading their answers: their bytes are few, so
   * the socket buffers hold them, and the server streams answers back to back.
   */
  private void pipeline(List<Integer> numbers, java.util.function.IntFunction<String> command,
      MultilineHandler handler) throws IOException {
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
        handler.missing(n, status);
      }
    }
  }

  void delete(List<Integer> numbers) throws IOException {
    for (int n : numbers) {
      command("DELE " + n);
    }
  }

  /** Ends the session: only now does the server remove the messages marked with DELE. */
  void quit() throws IOException {
    command("QUIT");
    close();
  }

  boolean isBroken() {
    return broken || socket == null || socket.isClosed();
  }

  private void command(String line) throws IOException {
    send(line);
    String answer = in.readLine();
    if (!answer.startsWith("+OK")) {
      throw new IOException(line.split(" ")[0] + " refused: " + answer.strip());
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
      throw new IOException("the server answered " + line.strip());
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
  interface MultilineHandler {
    void accept(int number, Pop3Input body) throws IOException;

    /** The server answered -ERR for this message (deleted by another session, say). */
    default void missing(int number, String status) {}
  }

  /** For diagnostics only: what the server said it can do. */
  List<String> capabilities() {
    return new ArrayList<>(capabilities);
  }
}

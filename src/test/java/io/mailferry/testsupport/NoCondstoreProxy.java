package io.mailferry.testsupport;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Makes the Dovecot behind it an IMAP server without CONDSTORE and QRESYNC (RFC 7162), as far as a
 * client can tell: the capability lists lose them, and every command that uses them is answered
 * here as a server without them would answer it. Dovecot 2.3 cannot do this itself (see {@link
 * DovecotServer#startWithoutCondstore}).
 *
 * <ul>
 *   <li>CAPABILITY (untagged, and the [CAPABILITY] code of the greeting and of LOGIN's answer):
 *       without CONDSTORE, QRESYNC and STARTTLS. STARTTLS is hidden so that the conversation stays
 *       readable here; mailferry allows a password in clear to a loopback host.
 *   <li>ENABLE: CONDSTORE and QRESYNC are dropped from the list, as RFC 5161 has a server do with
 *       extensions it does not know (an ENABLE of only those answers "* ENABLED" with nothing).
 *   <li>BAD for SELECT/EXAMINE with a CONDSTORE or QRESYNC parameter, STATUS or LIST-STATUS asking
 *       HIGHESTMODSEQ, FETCH of MODSEQ or with CHANGEDSINCE/VANISHED, STORE with UNCHANGEDSINCE,
 *       SEARCH on MODSEQ, and STARTTLS.
 * </ul>
 *
 * <p>A command is judged by its text up to its first literal: a mailbox name sent as a literal is
 * not looked into (Angus Mail sends the modified UTF-7 names quoted). Bytes inside literals pass
 * untouched both ways.
 */
final class NoCondstoreProxy implements AutoCloseable {

  private static final Pattern LITERAL = Pattern.compile("\\{(\\d+)(\\+?)}$");
  private static final Pattern CAPABILITY_LINE =
      Pattern.compile("^\\S+ (?:OK \\[)?CAPABILITY ", Pattern.CASE_INSENSITIVE);
  private static final Pattern HIDDEN_CAPABILITY =
      Pattern.compile(" (?:CONDSTORE|QRESYNC|STARTTLS)(?=[ \\]\\r\\n])", Pattern.CASE_INSENSITIVE);
  private static final Pattern ENABLE_HIDDEN =
      Pattern.compile(" (?:CONDSTORE|QRESYNC)(?=[ \\r\\n]|$)", Pattern.CASE_INSENSITIVE);

  private final ServerSocket listener;
  private final String targetHost;
  private final int targetPort;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();

  NoCondstoreProxy(String targetHost, int targetPort) throws IOException {
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    SessionThreads.acceptEach(listener, "no-condstore-proxy", this::relay);
  }

  int port() {
    return listener.getLocalPort();
  }

  /** One connection: commands on this thread, answers on another; both write to the client. */
  private void relay(Socket client) {
    sockets.add(client);
    try (Socket server = new Socket(targetHost, targetPort)) {
      sockets.add(server);
      client.setTcpNoDelay(true);
      server.setTcpNoDelay(true);
      Object toClient = new Object(); // a local answer never lands inside a server's response
      ProxyStreams.daemon("no-condstore-proxy-answers", () -> answers(server, client, toClient));
      commands(client, server, toClient);
    } catch (IOException ignored) {
      // the client or the server went away
    } finally {
      ProxyStreams.closeQuietly(client);
    }
  }

  /**
   * Why a server without CONDSTORE and QRESYNC would refuse this command (its first line, without
   * CRLF), or null to pass it on.
   */
  static String refusal(String verb, String arguments) {
    String args = arguments.toUpperCase(Locale.ROOT);
    boolean refused =
        switch (verb) {
          case "STARTTLS" -> true;
          case "SELECT", "EXAMINE" -> args.matches(".*\\(.*\\b(CONDSTORE|QRESYNC)\\b.*");
          case "STATUS", "LIST" -> args.matches(".*\\bHIGHESTMODSEQ\\b.*");
          case "FETCH" -> args.matches(".*\\b(MODSEQ|CHANGEDSINCE|VANISHED)\\b.*");
          case "STORE" -> args.matches(".*\\bUNCHANGEDSINCE\\b.*");
          case "SEARCH" -> args.matches(".*\\bMODSEQ\\b.*");
          default -> false;
        };
    return refused ? "BAD " + verb + ": not supported here (no CONDSTORE, no QRESYNC)" : null;
  }

  private static void commands(Socket client, Socket server, Object toClient) throws IOException {
    InputStream in = new BufferedInputStream(client.getInputStream());
    OutputStream out = server.getOutputStream();
    for (byte[] line = ProxyStreams.readLine(in); line != null; line = ProxyStreams.readLine(in)) {
      String command = new String(line, StandardCharsets.ISO_8859_1).strip();
      String[] words = command.split(" ", 3); // tag, verb, arguments
      String tag = words[0];
      String verb = words.length > 1 ? words[1].toUpperCase(Locale.ROOT) : "";
      String arguments = words.length > 2 ? words[2] : "";
      if (verb.equals("UID")) { // UID FETCH, UID STORE, UID SEARCH
        String[] rest = arguments.split(" ", 2);
        verb = rest[0].toUpperCase(Locale.ROOT);
        arguments = rest.length > 1 ? rest[1] : "";
      }
      String refusal = refusal(verb, arguments);
      if (refusal != null) {
        answer(client, toClient, tag + " " + refusal + "\r\n");
        discardRestOfCommand(in, command);
        continue;
      }
      if (verb.equals("ENABLE")) {
        String kept = ENABLE_HIDDEN.matcher(command).replaceAll("");
        if (kept.equalsIgnoreCase(tag + " ENABLE")) {
          answer(client, toClient, "* ENABLED\r\n" + tag + " OK Enabled\r\n");
          continue;
        }
        line = (kept + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
      }
      forwardWithLiterals(in, out, line);
    }
  }

  private static void answers(Socket server, Socket client, Object toClient) {
    try {
      InputStream in = new BufferedInputStream(server.getInputStream());
      OutputStream out = client.getOutputStream();
      for (byte[] line = ProxyStreams.readLine(in);
          line != null;
          line = ProxyStreams.readLine(in)) {
        String text = new String(line, StandardCharsets.ISO_8859_1);
        if (CAPABILITY_LINE.matcher(text).find()) {
          line =
              HIDDEN_CAPABILITY.matcher(text).replaceAll("").getBytes(StandardCharsets.ISO_8859_1);
        }
        synchronized (toClient) { // a whole response, literals included, at once
          forwardWithLiterals(in, out, line);
        }
      }
    } catch (IOException ignored) {
      // the client or the server went away
    } finally {
      ProxyStreams.closeQuietly(client);
      ProxyStreams.closeQuietly(server);
    }
  }

  private static void answer(Socket client, Object toClient, String response) throws IOException {
    synchronized (toClient) {
      OutputStream back = client.getOutputStream();
      back.write(response.getBytes(StandardCharsets.US_ASCII));
      back.flush();
    }
  }

  /** Writes the line, then each literal it announces and the line after it, to the line's end. */
  private static void forwardWithLiterals(InputStream in, OutputStream out, byte[] line)
      throws IOException {
    while (line != null) {
      out.write(line);
      Matcher literal = LITERAL.matcher(new String(line, StandardCharsets.ISO_8859_1).strip());
      if (!literal.find()) {
        break;
      }
      out.flush(); // a synchronizing literal waits for the other side's "+"
      copy(in, out, Long.parseLong(literal.group(1)));
      line = ProxyStreams.readLine(in);
    }
    out.flush();
  }

  /**
   * After a refusal the client sends a non-synchronizing literal anyway ({N+}); a synchronizing one
   * it never sends, since it got no "+".
   */
  private static void discardRestOfCommand(InputStream in, String line) throws IOException {
    Matcher literal = LITERAL.matcher(line.strip());
    while (literal.find() && literal.group(2).equals("+")) {
      in.skipNBytes(Long.parseLong(literal.group(1)));
      byte[] next = ProxyStreams.readLine(in);
      literal =
          LITERAL.matcher(
              next == null ? "" : new String(next, StandardCharsets.ISO_8859_1).strip());
    }
  }

  private static void copy(InputStream in, OutputStream out, long n) throws IOException {
    byte[] buffer = new byte[(int) Math.min(n, 64 * 1024)];
    for (long left = n; left > 0; ) {
      int read = in.read(buffer, 0, (int) Math.min(buffer.length, left));
      if (read < 0) {
        throw new IOException("the stream ended inside a literal");
      }
      out.write(buffer, 0, read);
      left -= read;
    }
  }

  @Override
  public void close() throws IOException {
    listener.close();
    for (Socket s : sockets) {
      ProxyStreams.closeQuietly(s);
    }
  }
}

package io.mailferry.testsupport;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An IMAP-aware loopback proxy that plays a server asking to slow down: the n-th command of a verb
 * is not passed on but answered with a scripted line — a tagged {@code NO [THROTTLED] …}, or {@code
 * * BYE …} after which the connection is closed. The refused command never reaches the real server,
 * so nothing is stored by it. The proxy also watches what a server would: how many connections are
 * open when each command arrives, and when each command of the verb arrives. It hides STARTTLS so
 * that it can read the conversation (loopback only).
 */
public final class ThrottlingImapProxy implements AutoCloseable {

  /** One command as the server saw it: when, which verb, and how many connections were open. */
  public record Seen(long nanos, String verb, int openConnections, boolean refused) {}

  /**
   * The verb under which {@link #seen} lists literals (message bodies), once each has fully
   * arrived.
   */
  public static final String LITERAL_ARRIVED = "(literal)";

  /**
   * The verb under which {@link #seen} lists literals of at least {@link #BODY_BYTES} the server
   * sent (message bodies fetched), once each has been passed on to the client.
   */
  public static final String LITERAL_SENT = "(literal sent)";

  public static final int BODY_BYTES = 1024;

  private static final Pattern LITERAL = Pattern.compile("\\{(\\d+)(\\+?)}$");

  private final ServerSocket listener;
  private final String targetHost;
  private final int targetPort;
  private final Map<String, Map<Integer, String>> script = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
  private final List<Seen> seen = new ArrayList<>();
  private final AtomicInteger open = new AtomicInteger();
  private final AtomicInteger peak = new AtomicInteger();

  public ThrottlingImapProxy(String targetHost, int targetPort) throws IOException {
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    daemon(this::acceptLoop);
  }

  /**
   * The n-th command of this verb (1-based, counted over all connections) is answered with {@code
   * answer} instead of reaching the server: "NO [THROTTLED] …" (tagged for the command), or "* BYE
   * …" (then the connection closes).
   */
  public ThrottlingImapProxy answer(String verb, int nth, String answer) {
    script
        .computeIfAbsent(verb.toUpperCase(Locale.ROOT), v -> new ConcurrentHashMap<>())
        .put(nth, answer);
    return this;
  }

  /** From now on every command reaches the server: the server has calmed down. */
  public void stopAnswering() {
    script.clear();
  }

  public int port() {
    return listener.getLocalPort();
  }

  public int peakConnections() {
    return peak.get();
  }

  /** Every command of this verb, in order of arrival. */
  public synchronized List<Seen> seen(String verb) {
    return seen.stream().filter(s -> s.verb().equals(verb)).toList();
  }

  private synchronized void note(String verb, boolean refused) {
    seen.add(new Seen(System.nanoTime(), verb, open.get(), refused));
  }

  private void acceptLoop() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        Socket server = new Socket(targetHost, targetPort);
        peak.accumulateAndGet(open.incrementAndGet(), Math::max);
        Connection c = new Connection(client, server);
        daemon(c::clientToServer);
        daemon(c::serverToClient);
      } catch (IOException e) {
        return;
      }
    }
  }

  private final class Connection {
    private final Socket client;
    private final Socket server;
    private boolean closed;

    Connection(Socket client, Socket server) {
      this.client = client;
      this.server = server;
    }

    void clientToServer() {
      try (InputStream in = new BufferedInputStream(client.getInputStream());
          OutputStream out = server.getOutputStream();
          OutputStream back = client.getOutputStream()) {
        byte[] line;
        while ((line = readLine(in)) != null) {
          String text = new String(line, StandardCharsets.ISO_8859_1).strip();
          String[] parts = text.split(" ", 3);
          String verb = parts.length > 1 ? parts[1].toUpperCase(Locale.ROOT) : "";
          String answer = scripted(verb);
          note(verb, answer != null);
          if (answer != null) {
            swallowLiterals(text, line, in, back);
            synchronized (back) {
              back.write(
                  ((answer.startsWith("*") ? answer : parts[0] + " " + answer) + "\r\n")
                      .getBytes(StandardCharsets.US_ASCII));
              back.flush();
            }
            if (answer.startsWith("* BYE")) {
              return;
            }
            continue;
          }
          forward(line, text, in, out);
        }
      } catch (IOException ignored) {
        // cut, or the client went away
      } finally {
        close();
      }
    }

    /** A command and its literals, up to the end of the command, to the server. */
    private void forward(byte[] line, String text, InputStream in, OutputStream out)
        throws IOException {
      while (true) {
        out.write(line);
        Matcher literal = LITERAL.matcher(text);
        if (!literal.find()) {
          out.flush();
          return;
        }
        out.flush();
        out.write(in.readNBytes(Integer.parseInt(literal.group(1))));
        note(
            LITERAL_ARRIVED,
            false); // when a message's last byte arrived: what byte rates are measured by
        line = readLine(in);
        if (line == null) {
          return;
        }
        text = new String(line, StandardCharsets.ISO_8859_1).strip();
      }
    }

    /** Reads a refused command's literals (asking for a synchronizing one as a server would). */
    private void swallowLiterals(String text, byte[] line, InputStream in, OutputStream back)
        throws IOException {
      while (true) {
        Matcher literal = LITERAL.matcher(text);
        if (!literal.find()) {
          return;
        }
        if (literal.group(2).isEmpty()) {
          synchronized (back) {
            back.write("+ go ahead\r\n".getBytes(StandardCharsets.US_ASCII));
            back.flush();
          }
        }
        in.readNBytes(Integer.parseInt(literal.group(1)));
        line = readLine(in);
        if (line == null) {
          return;
        }
        text = new String(line, StandardCharsets.ISO_8859_1).strip();
      }
    }

    void serverToClient() {
      try (InputStream in = new BufferedInputStream(server.getInputStream());
          OutputStream out = client.getOutputStream()) {
        byte[] line;
        while ((line = readLine(in)) != null) {
          String text = new String(line, StandardCharsets.ISO_8859_1);
          byte[] literalBytes = null;
          Matcher literal = LITERAL.matcher(text.strip());
          if (literal.find()) {
            literalBytes = in.readNBytes(Integer.parseInt(literal.group(1)));
          }
          synchronized (out) {
            out.write(text.replace(" STARTTLS", "").getBytes(StandardCharsets.ISO_8859_1));
            if (literalBytes != null) {
              out.write(literalBytes);
            }
            out.flush();
          }
          if (literalBytes != null && literalBytes.length >= BODY_BYTES) {
            note(LITERAL_SENT, false);
          }
        }
      } catch (IOException ignored) {
        // cut, or the server went away
      } finally {
        close();
      }
    }

    private synchronized void close() {
      if (closed) {
        return;
      }
      closed = true;
      open.decrementAndGet();
      try {
        client.close();
      } catch (IOException ignored) {
        // already closed
      }
      try {
        server.close();
      } catch (IOException ignored) {
        // already closed
      }
    }
  }

  private String scripted(String verb) {
    Map<Integer, String> answers = script.get(verb);
    if (answers == null) {
      return null;
    }
    int n = counts.computeIfAbsent(verb, v -> new AtomicInteger()).incrementAndGet();
    return answers.get(n);
  }

  private static byte[] readLine(InputStream in) throws IOException {
    return ProxyStreams.readLine(in);
  }

  private static void daemon(Runnable work) {
    ProxyStreams.daemon("throttling-imap-proxy", work);
  }

  @Override
  public void close() throws IOException {
    listener.close();
  }
}

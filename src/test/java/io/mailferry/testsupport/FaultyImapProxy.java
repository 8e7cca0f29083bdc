package io.mailferry.testsupport;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An IMAP-aware loopback proxy that injects one fault at a chosen command: it swallows the tagged
 * answer of the n-th such command and cuts the connection (the command took effect but the client
 * never learns it), answers it with a BYE, or stalls: the server's answers stop coming while the
 * connection stays open, until the client times out. It hides STARTTLS so that it can read the
 * conversation; use it on loopback, where mailferry allows a password in clear.
 */
public final class FaultyImapProxy implements AutoCloseable {

  public enum Fault {
    SWALLOW_TAGGED_ANSWER,
    BYE,
    STALL
  }

  private static final Pattern LITERAL = Pattern.compile("\\{(\\d+)\\+?}$");

  private final ServerSocket listener;
  private final String targetHost;
  private final int targetPort;
  private final String verb;
  private final int nth;
  private final Fault fault;
  private final AtomicInteger seen = new AtomicInteger();
  private volatile boolean injected;

  public FaultyImapProxy(String targetHost, int targetPort, String verb, int nth, Fault fault)
      throws IOException {
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    this.verb = verb.toUpperCase(Locale.ROOT);
    this.nth = nth;
    this.fault = fault;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    daemon(this::acceptLoop);
  }

  public int port() {
    return listener.getLocalPort();
  }

  public boolean injected() {
    return injected;
  }

  private void acceptLoop() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        Socket server = new Socket(targetHost, targetPort);
        Connection c = new Connection(client, server);
        daemon(c::clientToServer);
        daemon(c::serverToClient);
      } catch (IOException e) {
        return;
      }
    }
  }

  /** One proxied connection; the tag to swallow is shared by its two directions. */
  private final class Connection {
    private final Socket client;
    private final Socket server;
    private volatile String doomedTag;
    private volatile boolean stalled;

    Connection(Socket client, Socket server) {
      this.client = client;
      this.server = server;
    }

    void clientToServer() {
      try (InputStream in = new BufferedInputStream(client.getInputStream());
          OutputStream out = server.getOutputStream();
          OutputStream back = client.getOutputStream()) {
        byte[] line;
        boolean commandStart = true;
        while ((line = readLine(in)) != null) {
          String text = new String(line, StandardCharsets.ISO_8859_1).strip();
          if (commandStart) {
            String[] parts = text.split(" ", 3);
            if (!injected
                && parts.length > 1
                && parts[1].toUpperCase(Locale.ROOT).equals(verb)
                && seen.incrementAndGet() == nth) {
              injected = true;
              if (fault == Fault.BYE) {
                back.write("* BYE server shutting down\r\n".getBytes(StandardCharsets.US_ASCII));
                back.flush();
                close();
                return;
              }
              if (fault == Fault.STALL) {
                stalled = true;
              }
              doomedTag = parts[0];
            }
          }
          out.write(line);
          Matcher literal = LITERAL.matcher(text);
          if (literal.find()) {
            out.write(in.readNBytes(Integer.parseInt(literal.group(1))));
            commandStart = false; // the command goes on after its literal
          } else {
            commandStart = true;
          }
          out.flush();
        }
      } catch (IOException ignored) {
        // cut, or the client went away
      } finally {
        close();
      }
    }

    void serverToClient() {
      try (InputStream in = new BufferedInputStream(server.getInputStream());
          OutputStream out = client.getOutputStream()) {
        byte[] line;
        while ((line = readLine(in)) != null) {
          String text = new String(line, StandardCharsets.ISO_8859_1);
          if (stalled) {
            continue; // read on, answer nothing
          }
          String tag = doomedTag;
          if (tag != null && text.startsWith(tag + " ")) {
            return; // the command took effect; its answer is lost with the connection
          }
          out.write(text.replace(" STARTTLS", "").getBytes(StandardCharsets.ISO_8859_1));
          Matcher literal = LITERAL.matcher(text.strip());
          if (literal.find()) {
            out.write(in.readNBytes(Integer.parseInt(literal.group(1))));
          }
          out.flush();
        }
      } catch (IOException ignored) {
        // cut, or the server went away
      } finally {
        close();
      }
    }

    private void close() {
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

  private static byte[] readLine(InputStream in) throws IOException {
    return ProxyStreams.readLine(in);
  }

  private static void daemon(Runnable work) {
    ProxyStreams.daemon("faulty-imap-proxy", work);
  }

  @Override
  public void close() throws IOException {
    listener.close();
  }
}

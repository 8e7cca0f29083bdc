package io.mailferry.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A loopback POP3 proxy that never passes on one command: from the moment the client sends it
 * (QUIT, say), nothing more reaches the server, and the connection stays open until the client goes
 * away. It hides STLS so that it can read the conversation; mailferry allows a password in clear on
 * loopback.
 */
public final class StallingPop3Proxy implements AutoCloseable {

  private final ServerSocket listener;
  private final String targetHost;
  private final int targetPort;
  private final String verb;
  private volatile boolean stalled;

  public StallingPop3Proxy(String targetHost, int targetPort, String verb) throws IOException {
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    this.verb = verb.toUpperCase(Locale.ROOT);
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    daemon(this::acceptLoop);
  }

  public int port() {
    return listener.getLocalPort();
  }

  /** Whether a client has sent the command that is held back. */
  public boolean stalled() {
    return stalled;
  }

  private void acceptLoop() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        Socket server = new Socket(targetHost, targetPort);
        daemon(() -> serverToClient(server, client));
        daemon(() -> clientToServer(client, server));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serverToClient(Socket server, Socket client) {
    try (server;
        client) {
      InputStream in = server.getInputStream();
      OutputStream out = client.getOutputStream();
      byte[] line;
      while ((line = readLine(in)) != null) {
        if (!new String(line, StandardCharsets.ISO_8859_1).equals("STLS\r\n")) {
          out.write(line);
          out.flush();
        }
      }
    } catch (IOException e) {
      // either side went away
    }
  }

  private void clientToServer(Socket client, Socket server) {
    try (client;
        server) {
      InputStream in = client.getInputStream();
      OutputStream out = server.getOutputStream();
      boolean holding = false;
      byte[] line;
      while ((line = readLine(in)) != null) {
        holding |=
            new String(line, StandardCharsets.ISO_8859_1).toUpperCase(Locale.ROOT).startsWith(verb);
        if (holding) {
          stalled = true; // swallowed: the server never learns of it
        } else {
          out.write(line);
          out.flush();
        }
      }
    } catch (IOException e) {
      // either side went away
    }
  }

  private static byte[] readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) >= 0) {
      line.write(b);
      if (b == '\n') {
        return line.toByteArray();
      }
    }
    return line.size() == 0 ? null : line.toByteArray();
  }

  private static void daemon(Runnable r) {
    Thread t = new Thread(r, "stalling-pop3-proxy");
    t.setDaemon(true);
    t.start();
  }

  @Override
  public void close() throws IOException {
    listener.close();
  }
}

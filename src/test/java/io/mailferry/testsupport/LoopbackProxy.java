package io.mailferry.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import jdk.net.ExtendedSocketOptions;

/**
 * A loopback TCP proxy in front of a server; bytes (and so STARTTLS) pass untouched. It counts the
 * connections open through it at the same moment, as the server behind it sees them: each accepted
 * connection is one connection to the server, from its first byte to its close. A cap is checked
 * here rather than from the client's own counters, which would pass along with a client that
 * miscounts.
 */
public final class LoopbackProxy implements AutoCloseable {

  private final ServerSocket listener;
  private final String targetHost;
  private final int targetPort;
  private final AtomicInteger open = new AtomicInteger();
  private final AtomicInteger peak = new AtomicInteger();
  private final AtomicInteger accepted = new AtomicInteger();
  private final AtomicLong fromServer = new AtomicLong();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final boolean acknowledgeAtOnce;

  public LoopbackProxy(String targetHost, int targetPort) throws IOException {
    this(targetHost, targetPort, false);
  }

  private LoopbackProxy(String targetHost, int targetPort, boolean acknowledgeAtOnce)
      throws IOException {
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    this.acknowledgeAtOnce = acknowledgeAtOnce;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    ProxyStreams.daemon("loopback-proxy", this::acceptLoop);
  }

  /**
   * A proxy that acknowledges every byte from the server at once (TCP_QUICKACK after each read,
   * Linux), for a server that writes one response in several small writes without TCP_NODELAY, as
   * GreenMail does: there Nagle holds back the tagged line until the untagged ones before it are
   * acknowledged, and a client's delayed ACK makes that about 40 ms for every command with an
   * untagged answer (STATUS, LIST, FETCH, SELECT). Through this proxy the client sees the server
   * answer at its own speed; where the option is missing it passes bytes only.
   */
  public static LoopbackProxy acknowledgingAtOnce(String targetHost, int targetPort)
      throws IOException {
    return new LoopbackProxy(targetHost, targetPort, true);
  }

  public int port() {
    return listener.getLocalPort();
  }

  /** The most connections that were open at once. */
  public int peak() {
    return peak.get();
  }

  /** Bytes the server sent through this proxy so far, TLS records included. */
  public long bytesFromServer() {
    return fromServer.get();
  }

  /** All connections accepted so far. */
  public int accepted() {
    return accepted.get();
  }

  private void acceptLoop() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        Socket server = new Socket(targetHost, targetPort);
        client.setTcpNoDelay(true);
        server.setTcpNoDelay(true);
        sockets.add(client);
        sockets.add(server);
        accepted.incrementAndGet();
        peak.accumulateAndGet(open.incrementAndGet(), Math::max);
        AtomicBoolean closed = new AtomicBoolean();
        Runnable closeBoth =
            () -> {
              if (closed.compareAndSet(false, true)) {
                ProxyStreams.closeQuietly(client);
                ProxyStreams.closeQuietly(server);
                open.decrementAndGet();
              }
            };
        ProxyStreams.daemon(
            "loopback-proxy", () -> pump(client, server, false, closeBoth, new AtomicLong()));
        ProxyStreams.daemon(
            "loopback-proxy", () -> pump(server, client, acknowledgeAtOnce, closeBoth, fromServer));
      } catch (IOException e) {
        return;
      }
    }
  }

  /** Copies one direction until either side ends; the first direction to end closes the pair. */
  private static void pump(
      Socket from, Socket to, boolean quickAck, Runnable closeBoth, AtomicLong bytes) {
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      boolean canQuickAck =
          quickAck && from.supportedOptions().contains(ExtendedSocketOptions.TCP_QUICKACK);
      byte[] buf = new byte[8192];
      int n;
      while ((n = in.read(buf)) > 0) {
        if (canQuickAck) {
          from.setOption(
              ExtendedSocketOptions.TCP_QUICKACK, true); // Linux falls back to delayed ACKs: again
        }
        out.write(buf, 0, n);
        out.flush();
        bytes.addAndGet(n);
      }
    } catch (IOException ignored) {
      // the other side went away
    } finally {
      closeBoth.run();
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

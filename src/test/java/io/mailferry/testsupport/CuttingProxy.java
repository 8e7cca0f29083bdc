package io.mailferry.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback TCP proxy that cuts every connection once the client has sent a given number of bytes,
 * and refuses new ones until healed: a network cut in the middle of an APPEND literal.
 */
public final class CuttingProxy implements AutoCloseable {

  private final ServerSocket listener;
  private final String targetHost;
  private final int targetPort;
  private final AtomicLong sent = new AtomicLong();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private volatile long cutAfter;
  private volatile boolean cut;
  private volatile boolean healAfterCut;
  private volatile boolean countServer;
  private volatile int cuts;

  public CuttingProxy(String targetHost, int targetPort, long cutAfterClientBytes)
      throws IOException {
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    this.cutAfter = cutAfterClientBytes;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    daemon(this::acceptLoop);
  }

  public int port() {
    return listener.getLocalPort();
  }

  public boolean hasCut() {
    return cut;
  }

  /** How many times a healing proxy has cut. */
  public int cuts() {
    return cuts;
  }

  /** Lets traffic through again, without limit. */
  public void heal() {
    cutAfter = Long.MAX_VALUE;
    cut = false;
  }

  private void acceptLoop() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        if (cut && !healAfterCut) {
          client.close();
          continue;
        }
        Socket server = new Socket(targetHost, targetPort);
        sockets.add(client);
        sockets.add(server);
        daemon(() -> pump(client, server, false));
        daemon(() -> pump(server, client, true));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void pump(Socket from, Socket to, boolean fromServer) {
    boolean counted = fromServer == countServer;
    byte[] buf = new byte[8192];
    try (InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream()) {
      int n;
      while ((n = in.read(buf)) > 0) {
        if (counted && sent.addAndGet(n) > cutAfter) {
          cutAll();
          return;
        }
        out.write(buf, 0, n);
        out.flush();
      }
    } catch (IOException ignored) {
      // the other side went away, or we cut it
    } finally {
      ProxyStreams.closeQuietly(from);
      ProxyStreams.closeQuietly(to);
    }
  }

  private static void daemon(Runnable work) {
    Thread t = new Thread(work, "cutting-proxy");
    t.setDaemon(true);
    t.start();
  }

  /** Counts the bytes the server sends instead of those the client sends: a cut mid-FETCH. */
  public CuttingProxy countingServerBytes() {
    countServer = true;
    return this;
  }

  /** Cuts once, then lets everything through: a short outage in the middle of a run. */
  public CuttingProxy healingAfterCut() {
    healAfterCut = true;
    return this;
  }

  private void cutAll() {
    cut = true;
    if (healAfterCut) {
      cutAfter = Long.MAX_VALUE;
      cuts++;
    }
    for (Socket s : sockets) {
      ProxyStreams.closeQuietly(s);
    }
    sockets.clear();
  }

  @Override
  public void close() throws IOException {
    listener.close();
    cutAll();
  }
}

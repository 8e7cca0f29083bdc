package io.mailferry.net;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.nio.channels.SocketChannel;
import java.util.function.LongConsumer;

/**
 * A TCP socket whose bytes are counted as they cross the wire, both ways, by a meter that may make
 * the caller wait (a rate limit). It wraps the plain socket under TLS, so what is counted is what
 * the network carries. Everything else is the wrapped socket's.
 */
final class MeteredSocket extends Socket {

  /** Writes go out in pieces of at most this, so that a rate limit paces a large literal evenly. */
  private static final int PIECE = 16 * 1024;

  private final Socket socket;
  private final LongConsumer meter;

  /** For IMAP spoken in clear over this socket: how long the server may be silent; else null. */
  private final java.time.Duration silence;

  private InputStream in;
  private ResponseGuard guard;
  private OutputStream out;

  MeteredSocket(Socket socket, LongConsumer meter) {
    this(socket, meter, null);
  }

  /**
   * @param silence not null: IMAP responses are guarded ({@link ResponseGuard}) until TLS layers
   *     over this
   */
  MeteredSocket(Socket socket, LongConsumer meter, java.time.Duration silence) {
    this.socket = socket;
    this.meter = meter;
    this.silence = silence;
  }

  @Override
  public synchronized InputStream getInputStream() throws IOException {
    if (in == null) {
      in = new MeteredInput(socket.getInputStream(), meter);
      if (silence != null) {
        guard = new ResponseGuard(in, silence);
        in = guard;
      }
    }
    return in;
  }

  private void commandSent() {
    if (guard != null) {
      guard.commandSent();
    }
  }

  /**
   * Whether the bytes of {@code s} already pass a meter: Angus Mail wraps the plain socket it got
   * from us (in a WriteTimeoutSocket, when a write timeout is set) before STARTTLS layers TLS on
   * it, so a meter put on that again would count every byte twice.
   */
  static boolean isMetered(Socket s) throws IOException {
    return s instanceof MeteredSocket
        || (s.isConnected()
            && (s.getInputStream() instanceof MeteredInput
                || s.getInputStream() instanceof ResponseGuard));
  }

  /**
   * TLS is layered over {@code s} (STARTTLS): a guard of IMAP framing on it would read ciphertext.
   */
  static void startsTls(Socket s) throws IOException {
    if (s.isConnected() && s.getInputStream() instanceof ResponseGuard g) {
      g.disarm();
    }
  }

  private static final class MeteredInput extends FilterInputStream {
    private final LongConsumer meter;

    MeteredInput(InputStream in, LongConsumer meter) {
      super(in);
      this.meter = meter;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        meter.accept(1);
      }
      return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
      int n = super.read(buf, off, len);
      if (n > 0) {
        meter.accept(n);
      }
      return n;
    }
  }

  @Override
  public synchronized OutputStream getOutputStream() throws IOException {
    if (out == null) {
      out =
          new FilterOutputStream(socket.getOutputStream()) {
            @Override
            public void write(int b) throws IOException {
              commandSent();
              meter.accept(1);
              super.out.write(b);
            }

            @Override
            public void write(byte[] buf, int off, int len) throws IOException {
              commandSent();
              for (int at = off, end = off + len; at < end; at += PIECE) {
                int n = Math.min(PIECE, end - at);
                meter.accept(n);
                super.out.write(buf, at, n);
              }
            }
          };
    }
    return out;
  }

  @Override
  public void connect(SocketAddress endpoint) throws IOException {
    socket.connect(endpoint);
  }

  @Override
  public void connect(SocketAddress endpoint, int timeout) throws IOException {
    socket.connect(endpoint, timeout);
  }

  @Override
  public void bind(SocketAddress bindpoint) throws IOException {
    socket.bind(bindpoint);
  }

  @Override
  public InetAddress getInetAddress() {
    return socket.getInetAddress();
  }

  @Override
  public InetAddress getLocalAddress() {
    return socket.getLocalAddress();
  }

  @Override
  public int getPort() {
    return socket.getPort();
  }

  @Override
  public int getLocalPort() {
    return socket.getLocalPort();
  }

  @Override
  public SocketAddress getRemoteSocketAddress() {
    return socket.getRemoteSocketAddress();
  }

  @Override
  public SocketAddress getLocalSocketAddress() {
    return socket.getLocalSocketAddress();
  }

  @Override
  public SocketChannel getChannel() {
    return null; // a channel would bypass the meter
  }

  @Override
  public void setTcpNoDelay(boolean on) throws SocketException {
    socket.setTcpNoDelay(on);
  }

  @Override
  public boolean getTcpNoDelay() throws SocketException {
    return socket.getTcpNoDelay();
  }

  @Override
  public void setSoLinger(boolean on, int linger) throws SocketException {
    socket.setSoLinger(on, linger);
  }

  @Override
  public int getSoLinger() throws SocketException {
    return socket.getSoLinger();
  }

  @Override
  public void setSoTimeout(int timeout) throws SocketException {
    socket.setSoTimeout(timeout);
  }

  @Override
  public int getSoTimeout() throws SocketException {
    return socket.getSoTimeout();
  }

  @Override
  public void setSendBufferSize(int size) throws SocketException {
    socket.setSendBufferSize(size);
  }

  @Override
  public int getSendBufferSize() throws SocketException {
    return socket.getSendBufferSize();
  }

  @Override
  public void setReceiveBufferSize(int size) throws SocketException {
    socket.setReceiveBufferSize(size);
  }

  @Override
  public int getReceiveBufferSize() throws SocketException {
    return socket.getReceiveBufferSize();
  }

  @Override
  public void setKeepAlive(boolean on) throws SocketException {
    socket.setKeepAlive(on);
  }

  @Override
  public boolean getKeepAlive() throws SocketException {
    return socket.getKeepAlive();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  @Override
  public void shutdownInput() throws IOException {
    socket.shutdownInput();
  }

  @Override
  public void shutdownOutput() throws IOException {
    socket.shutdownOutput();
  }

  @Override
  public boolean isConnected() {
    return socket.isConnected();
  }

  @Override
  public boolean isBound() {
    return socket.isBound();
  }

  @Override
  public boolean isClosed() {
    return socket.isClosed();
  }

  @Override
  public boolean isInputShutdown() {
    return socket.isInputShutdown();
  }

  @Override
  public boolean isOutputShutdown() {
    return socket.isOutputShutdown();
  }

  @Override
  public String toString() {
    return socket.toString();
  }
}

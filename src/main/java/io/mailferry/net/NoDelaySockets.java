package io.mailferry.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.function.LongConsumer;
import javax.net.SocketFactory;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * Socket factories that switch Nagle's algorithm off. IMAP is a conversation of small writes (a
 * command, then a literal, then its closing CRLF); with Nagle on, the last small write waits for
 * the server's delayed ACK, about 40 ms per command, which caps a copier at a few dozen messages
 * per second. Angus Mail has no property for TCP_NODELAY, hence these wrappers.
 *
 * <p>They also put a meter on every connection's plain socket (under TLS when there is TLS): the
 * byte rates of the throttle package count what crosses the wire. And they put a {@link
 * ResponseGuard} where the IMAP responses are readable: above TLS, or on the plain socket until
 * STARTTLS layers TLS over it.
 */
final class NoDelaySockets {

  private NoDelaySockets() {}

  /**
   * @param silence how long a server may be silent (--timeout), for the guard's deadline
   */
  static SocketFactory plain(LongConsumer meter, java.time.Duration silence) {
    return new Plain(SocketFactory.getDefault(), meter, silence);
  }

  static SSLSocketFactory tls(
      SSLSocketFactory delegate, LongConsumer meter, java.time.Duration silence) {
    return new Tls(delegate, meter, silence);
  }

  private static Socket noDelay(Socket s) throws IOException {
    s.setTcpNoDelay(true);
    return s;
  }

  private static Socket metered(Socket s, LongConsumer meter) throws IOException {
    return MeteredSocket.isMetered(s) ? s : new MeteredSocket(noDelay(s), meter);
  }

  private static final class Plain extends SocketFactory {
    private final SocketFactory delegate;
    private final LongConsumer meter;
    private final java.time.Duration silence;

    Plain(SocketFactory delegate, LongConsumer meter, java.time.Duration silence) {
      this.delegate = delegate;
      this.meter = meter;
      this.silence = silence;
    }

    /** The one Angus Mail calls: IMAP in clear, guarded until STARTTLS. */
    @Override
    public Socket createSocket() throws IOException {
      return new MeteredSocket(noDelay(delegate.createSocket()), meter, silence);
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
      return metered(delegate.createSocket(host, port), meter);
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress local, int localPort)
        throws IOException {
      return metered(delegate.createSocket(host, port, local, localPort), meter);
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
      return metered(delegate.createSocket(host, port), meter);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress local, int localPort)
        throws IOException {
      return metered(delegate.createSocket(address, port, local, localPort), meter);
    }
  }

  private static final class Tls extends SSLSocketFactory {
    private final SSLSocketFactory delegate;
    private final LongConsumer meter;
    private final java.time.Duration silence;

    Tls(SSLSocketFactory delegate, LongConsumer meter, java.time.Duration silence) {
      this.delegate = delegate;
      this.meter = meter;
      this.silence = silence;
    }

    @Override
    public String[] getDefaultCipherSuites() {
      return delegate.getDefaultCipherSuites();
    }

    @Override
    public String[] getSupportedCipherSuites() {
      return delegate.getSupportedCipherSuites();
    }

    @Override
    public Socket createSocket() throws IOException {
      return noDelay(delegate.createSocket());
    }

    /**
     * Implicit TLS (Angus connects a plain socket, then layers TLS on it) and STARTTLS both come
     * here: the plain socket underneath gets TCP_NODELAY and the meter.
     */
    @Override
    public Socket createSocket(Socket s, String host, int port, boolean autoClose)
        throws IOException {
      MeteredSocket.startsTls(s);
      return new GuardedTlsSocket(
          (SSLSocket) delegate.createSocket(metered(s, meter), host, port, autoClose), silence);
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
      return createSocket(new Socket(host, port), host, port, true);
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress local, int localPort)
        throws IOException {
      return createSocket(new Socket(host, port, local, localPort), host, port, true);
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
      return createSocket(new Socket(host, port), host.getHostName(), port, true);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress local, int localPort)
        throws IOException {
      return createSocket(
          new Socket(address, port, local, localPort), address.getHostName(), port, true);
    }
  }
}

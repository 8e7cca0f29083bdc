package io.mailferry.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * An implicit-TLS IMAP endpoint on 127.0.0.1 (as for imaps://) with a self-signed certificate for
 * the names given: it greets, answers LOGIN with NO, and is there to test what a client makes of
 * the certificate. The key is made by the JDK's keytool in {@code dir}.
 */
public final class TlsGreeter implements AutoCloseable {

  private final ServerSocket listener;
  private final Path certificate;

  /**
   * @param san the certificate's subjectAltName, e.g. "dns:other.example" or "ip:127.0.0.1"
   */
  public TlsGreeter(Path dir, String san) throws Exception {
    Path keyStore = dir.resolve("greeter.p12");
    certificate = dir.resolve("greeter.pem");
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    keytool(
        List.of(
            keytool,
            "-genkeypair",
            "-alias",
            "greeter",
            "-keyalg",
            "EC",
            "-dname",
            "CN=greeter",
            "-ext",
            "san=" + san,
            "-validity",
            "2",
            "-keystore",
            keyStore.toString(),
            "-storepass",
            "changeit"));
    keytool(
        List.of(
            keytool,
            "-exportcert",
            "-rfc",
            "-alias",
            "greeter",
            "-keystore",
            keyStore.toString(),
            "-storepass",
            "changeit",
            "-file",
            certificate.toString()));
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keyStore)) {
      store.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(store, "changeit".toCharArray());
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(keys.getKeyManagers(), null, null);
    listener =
        tls.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress());
    SessionThreads.acceptEach(listener, "tls-greeter", TlsGreeter::serve);
  }

  private static void keytool(List<String> command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("keytool failed: " + output);
    }
  }

  public int port() {
    return listener.getLocalPort();
  }

  /** The certificate, PEM, for --from-trust-cert. */
  public Path certificate() {
    return certificate;
  }

  private static void serve(Socket socket) {
    try (socket;
        InputStream in = socket.getInputStream();
        OutputStream out = socket.getOutputStream()) {
      out.write(
          "* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] greeter ready\r\n"
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      StringBuilder line = new StringBuilder();
      for (int c = in.read(); c >= 0; c = in.read()) {
        if (c != '\n') {
          line.append((char) c);
          continue;
        }
        String tag = line.toString().split(" ", 2)[0];
        line.setLength(0);
        out.write(
            (tag + " NO [AUTHENTICATIONFAILED] greeter refuses everyone\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
      }
    } catch (IOException ignored) {
      // the handshake failed or the client went away: what the tests are about
    }
  }

  @Override
  public void close() throws IOException {
    listener.close();
  }
}

package io.mailferry.net;

import io.mailferry.mail.ConnectionSettings;
import io.mailferry.mail.Endpoint;
import jakarta.mail.Session;
import java.util.Properties;
import javax.net.ssl.SSLSocketFactory;

/**
 * The one place that builds Jakarta Mail sessions. Angus Mail's defaults are unsafe for a copier:
 * {@code mail.imap.peek=false} marks every message read as \Seen, and every timeout is infinite, so
 * a dead server hangs a job for ever. Everything set here is deliberate.
 */
public final class MailSessions {

  /**
   * Bytes per partial FETCH of a large message: big enough to keep the link busy, and few enough
   * pieces per message. A server that stores LF line ends (Dovecot's Maildir) finds each offset of
   * the CRLF form by reading from the start, so n pieces cost it n²/2 message-lengths of work: with
   * 1 MiB pieces a 30 MB message cost Dovecot several CPU seconds. Bigger pieces would cost this
   * process heap: every open folder holds one.
   */
  public static final int FETCH_SIZE = 2 << 20;

  private MailSessions() {}

  public static Session forEndpoint(Endpoint endpoint, ConnectionSettings settings) {
    return forEndpoint(endpoint, settings, n -> {});
  }

  /**
   * @param onWire counts the bytes of every connection of this session, both ways (rate limits)
   */
  public static Session forEndpoint(
      Endpoint endpoint, ConnectionSettings settings, java.util.function.LongConsumer onWire) {
    String p = "mail." + endpoint.scheme() + ".";
    Properties props = new Properties();
    // Reading must never change the source: BODY.PEEK, not BODY (RFC 9051 6.4.5).
    props.setProperty(p + "peek", "true");
    props.setProperty(p + "connectiontimeout", millis(settings.connectTimeout()));
    props.setProperty(p + "timeout", millis(settings.ioTimeout()));
    props.setProperty(p + "writetimeout", millis(settings.ioTimeout()));
    props.setProperty(p + "partialfetch", "true");
    props.setProperty(p + "fetchsize", String.valueOf(FETCH_SIZE));
    // One physical connection per Store: folders reuse the store's connection, so the
    // connection cap in the throttle package counts Stores and is exact.
    props.setProperty(p + "connectionpoolsize", "1");
    props.setProperty(p + "separatestoreconnection", "false");
    props.setProperty(p + "ssl.checkserveridentity", "true");
    if (!endpoint.implicitTls()) {
      props.setProperty(p + "starttls.enable", "true");
      // A password goes in clear only to a loopback host or when the user said so.
      boolean clearAllowed = settings.allowPlaintext() || endpoint.isLoopback();
      props.setProperty(p + "starttls.required", String.valueOf(!clearAllowed));
    }
    SSLSocketFactory sockets = TrustedCertificates.socketFactory(settings.trustCert());
    props.put(p + "ssl.socketFactory", NoDelaySockets.tls(sockets, onWire, settings.ioTimeout()));
    props.put(p + "socketFactory", NoDelaySockets.plain(onWire, settings.ioTimeout()));
    // Angus otherwise tries again with the JDK's default sockets when ours fail: without the
    // --trust-cert certificate (a wrong host name was then reported as "not trusted"), the meter
    // and the time limits.
    props.setProperty(p + "socketFactory.fallback", "false");
    props.setProperty(p + "ssl.socketFactory.fallback", "false");
    if (settings.xoauth2()) {
      props.setProperty(p + "auth.mechanisms", "XOAUTH2");
      props.setProperty(p + "auth.login.disable", "true");
      props.setProperty(p + "auth.plain.disable", "true");
    }
    return Session.getInstance(props);
  }

  /**
   * TLS sockets with the same trust as the mail sessions (system CAs plus --trust-cert), for
   * protocols spoken without Jakarta Mail (POP3).
   */
  public static SSLSocketFactory tlsSockets(ConnectionSettings settings) {
    return TrustedCertificates.socketFactory(settings.trustCert());
  }

  private static String millis(java.time.Duration d) {
    return String.valueOf(d.toMillis());
  }

  /**
   * A connected socket whose bytes, both ways, pass a meter that may make the caller wait (a rate
   * limit): for protocols we speak ourselves (POP3). Wrap it before any TLS layer.
   */
  public static java.net.Socket metered(
      java.net.Socket socket, java.util.function.LongConsumer meter) {
    return new MeteredSocket(socket, meter);
  }
}

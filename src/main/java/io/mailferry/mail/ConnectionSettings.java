package io.mailferry.mail;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How one side connects: TLS trust, plaintext permission, authentication mechanism, timeouts.
 *
 * @param trustCert a PEM certificate to trust besides the system's (self-signed servers), or null
 * @param xoauth2 authenticate with SASL XOAUTH2, the secret being an OAuth2 access token
 */
public record ConnectionSettings(
    boolean allowPlaintext,
    Path trustCert,
    boolean xoauth2,
    Duration connectTimeout,
    Duration ioTimeout) {

  public static ConnectionSettings defaults() {
    return new ConnectionSettings(
        false, null, false, Duration.ofSeconds(30), Duration.ofSeconds(120));
  }

  public ConnectionSettings withAllowPlaintext(boolean allow) {
    return new ConnectionSettings(allow, trustCert, xoauth2, connectTimeout, ioTimeout);
  }

  public ConnectionSettings withTrustCert(Path cert) {
    return new ConnectionSettings(allowPlaintext, cert, xoauth2, connectTimeout, ioTimeout);
  }

  /** How long a server may stay silent before the connection counts as lost (and is retried). */
  public ConnectionSettings withIoTimeout(Duration timeout) {
    return new ConnectionSettings(allowPlaintext, trustCert, xoauth2, connectTimeout, timeout);
  }

  public ConnectionSettings withXoauth2(boolean on) {
    return new ConnectionSettings(allowPlaintext, trustCert, on, connectTimeout, ioTimeout);
  }
}

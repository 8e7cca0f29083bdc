package io.mailferry.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailferry.mail.Endpoint;
import io.mailferry.mail.MailferryException;
import java.security.cert.CertificateException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class ConnectionFailuresTests {

  private static final Endpoint HOST = Endpoint.parse("imaps://alice@127.0.0.2:993", "source");

  @Test
  void a_trusted_certificate_that_does_not_name_the_host_says_so_not_that_it_is_untrusted() {
    // As the JDK's trust manager reports it when --trust-cert holds the certificate (issue 17.7).
    var handshake =
        new SSLHandshakeException(
            "No subject alternative names matching IP address 127.0.0.2 found");
    handshake.initCause(
        new CertificateException(
            "No subject alternative names matching IP address 127.0.0.2 found"));

    MailferryException e =
        ConnectionFailures.classify(
            "source", HOST, new jakarta.mail.MessagingException("connect", handshake));

    assertThat(e).isInstanceOf(MailferryException.Unreachable.class);
    assertThat(e.getMessage())
        .isEqualTo(
            "TLS with the source host 127.0.0.2:993 failed: its certificate does not "
                + "name the host 127.0.0.2.")
        .doesNotContain("not trusted");
  }

  @Test
  void a_certificate_nobody_vouches_for_is_not_trusted() {
    var handshake = new SSLHandshakeException("PKIX path building failed");
    handshake.initCause(
        new CertificateException("unable to find valid certification path to requested target"));

    MailferryException e =
        ConnectionFailures.classify(
            "source", HOST, new jakarta.mail.MessagingException("connect", handshake));

    assertThat(e.getMessage())
        .contains("its certificate is not trusted")
        .contains("--from-trust-cert FILE");
  }
}

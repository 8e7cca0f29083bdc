package io.mailferry.net;

import io.mailferry.mail.MailferryException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * TLS trust: the system's CAs, plus one certificate the user chose with --trust-cert. There is
 * deliberately no way to trust everything.
 */
final class TrustedCertificates {

  private TrustedCertificates() {}

  static SSLSocketFactory socketFactory(Path extraCert) {
    try {
      X509TrustManager system = trustManager(null);
      X509TrustManager extra = extraCert == null ? null : trustManager(load(extraCert));
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {new EitherTrustManager(system, extra)}, null);
      return context.getSocketFactory();
    } catch (MailferryException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("cannot set up TLS", e);
    }
  }

  private static KeyStore load(Path pem) {
    try (InputStream in = Files.newInputStream(pem)) {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (var cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        store.setCertificateEntry("trusted-" + i++, cert);
      }
      if (i == 0) {
        throw new CertificateException("no certificate in the file");
      }
      return store;
    } catch (Exception e) {
      throw new MailferryException.BadConfiguration(
          "Cannot read the certificate " + pem + " given to --trust-cert: " + e.getMessage() + ".",
          e);
    }
  }

  private static X509TrustManager trustManager(KeyStore store) throws Exception {
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(store);
    for (TrustManager tm : factory.getTrustManagers()) {
      if (tm instanceof X509TrustManager x509) {
        return x509;
      }
    }
    throw new IllegalStateException("no X.509 trust manager");
  }

  /** Accepts a server chain that either the system or the user's certificate vouches for. */
  private record EitherTrustManager(X509TrustManager system, X509TrustManager extra)
      implements X509TrustManager {

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      if (extra == null) {
        system.checkServerTrusted(chain, authType);
        return;
      }
      // The user's own certificate first: it is the one expected, and checking one certificate is
      // quicker than a failed path search through every system CA.
      try {
        extra.checkServerTrusted(chain, authType);
      } catch (CertificateException e) {
        system.checkServerTrusted(chain, authType);
      }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      system.checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return system.getAcceptedIssuers();
    }
  }
}

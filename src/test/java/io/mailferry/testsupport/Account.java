package io.mailferry.testsupport;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import jakarta.mail.MessagingException;
import java.nio.file.Path;

/** A test account on a running server: its URL for mailferry and a direct client for checks. */
public record Account(
    String scheme, String host, int port, String user, String password, Path trustCert) {

  public static Account imap(String host, int port, String user, String password) {
    return new Account("imap", host, port, user, password, null);
  }

  /** A new user on a test Dovecot (password "pw-USER"), trusting its self-signed certificate. */
  public static Account onDovecot(DovecotServer server, String user) {
    server.addUser(user, "pw-" + user);
    return imap(server.host(), server.imapPort(), user, "pw-" + user)
        .trusting(server.certificatePem());
  }

  /** A new user on a test GreenMail (password "pw-USER"), reached over plain IMAP. */
  public static Account onGreenMail(GreenMailExtension greenMail, String user) {
    greenMail.setUser(user + "@example.org", user, "pw-" + user);
    return imap("127.0.0.1", greenMail.getImap().getPort(), user, "pw-" + user);
  }

  /** A user already added to a test Dovecot, reached directly. */
  public static Account onDovecotExisting(DovecotServer server, String user) {
    return imap(server.host(), server.imapPort(), user, "pw-" + user)
        .trusting(server.certificatePem());
  }

  /**
   * The same mailbox read over POP3 on {@code port} (for mailferry's URL; checks still use IMAP).
   */
  public Account viaPop3(int port) {
    return new Account("pop3", host, port, user, password, trustCert);
  }

  /** An account on a server whose STARTTLS certificate is self-signed: mailferry must trust it. */
  public Account trusting(Path certificate) {
    return new Account(scheme, host, port, user, password, certificate);
  }

  public String url() {
    return scheme + "://" + user + "@" + host + ":" + port;
  }

  public TestMailbox open() {
    try {
      return TestMailbox.connect(host, port, user, password);
    } catch (MessagingException e) {
      throw new IllegalStateException("cannot log in as " + user + " on port " + port, e);
    }
  }

  /** The server name of a '/'-written path on this account's server (separator and prefix). */
  public String serverName(String path) {
    if (path.equalsIgnoreCase("INBOX")) {
      return "INBOX";
    }
    try (TestMailbox box = open()) {
      return box.personalPrefix() + path.replace('/', box.separator());
    } catch (MessagingException e) {
      throw new IllegalStateException(e);
    }
  }
}

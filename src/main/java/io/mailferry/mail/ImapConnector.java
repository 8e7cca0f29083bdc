package io.mailferry.mail;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import org.eclipse.angus.mail.imap.IMAPStore;

/**
 * Opens one authenticated IMAP connection for one side, and turns every way that can fail into
 * one plain sentence that names the side.
 */
public final class ImapConnector {

  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ImapConnector.class);

  private final String side;
  private final Endpoint endpoint;
  private final Secret secret;
  private final ConnectionSettings settings;

  /** @param side "source" or "destination", used in error sentences */
  public ImapConnector(String side, Endpoint endpoint, Secret secret, ConnectionSettings settings) {
    this.side = side;
    this.endpoint = endpoint;
    this.secret = secret;
    this.settings = settings;
  }

  public String side() {
    return side;
  }

  public Endpoint endpoint() {
    return endpoint;
  }

  public IMAPStore connect() {
    var session = MailSessions.forEndpoint(endpoint, settings);
    try {
      IMAPStore store = (IMAPStore) session.getStore(endpoint.scheme());
      // Never the secret, nor Angus Mail's protocol trace (it would show the LOGIN line).
      log.debug("{}: connecting to {}:{} as {} ({}, {})", side, endpoint.host(), endpoint.port(), endpoint.user(),
          endpoint.scheme(), settings.xoauth2() ? "XOAUTH2" : "password");
      // The secret is read now, at each login: a token may have been refreshed since the last.
      store.connect(endpoint.host(), endpoint.port(), endpoint.user(), secret.read());
      log.debug("{}: logged in to {} as {}", side, endpoint.host(), endpoint.user());
      return store;
    } catch (AuthenticationFailedException e) {
      throw new MailferryException.LoginRefused("The " + side + " server " + endpoint.host()
          + " refused the login of " + endpoint.user() + serverSays(e) + ".", e);
    } catch (MessagingException e) {
      throw ConnectionFailures.classify(side, endpoint, e);
    }
  }

  private static String serverSays(MessagingException e) {
    String text = e.getMessage();
    return text == null || text.isBlank() ? "" : " (" + text.strip() + ")";
  }
}

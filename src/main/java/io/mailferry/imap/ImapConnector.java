package io.mailferry.imap;

import io.mailferry.mail.ConnectionSettings;
import io.mailferry.mail.Endpoint;
import io.mailferry.mail.MailferryException;
import io.mailferry.mail.Secret;
import io.mailferry.net.ConnectionFailures;
import io.mailferry.net.MailSessions;
import io.mailferry.throttle.SideThrottle;
import io.mailferry.throttle.ThrottleSignal;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import org.eclipse.angus.mail.imap.IMAPStore;

/**
 * Opens one authenticated IMAP connection for one side, and turns every way that can fail into one
 * plain sentence that names the side.
 */
public final class ImapConnector {

  private static final org.slf4j.Logger log =
      org.slf4j.LoggerFactory.getLogger(ImapConnector.class);

  private final String side;
  private final Endpoint endpoint;
  private final Secret secret;
  private final ConnectionSettings settings;
  private final SideThrottle throttle;

  /**
   * @param side "source" or "destination", used in error sentences
   */
  public ImapConnector(String side, Endpoint endpoint, Secret secret, ConnectionSettings settings) {
    this(side, endpoint, secret, settings, null);
  }

  /**
   * @param throttle login spacing, the meter for byte rates, and backoff; null for none
   */
  public ImapConnector(
      String side,
      Endpoint endpoint,
      Secret secret,
      ConnectionSettings settings,
      SideThrottle throttle) {
    this.side = side;
    this.endpoint = endpoint;
    this.secret = secret;
    this.settings = settings;
    this.throttle = throttle;
  }

  /** The throttles of this side, or null. */
  public SideThrottle throttle() {
    return throttle;
  }

  public String side() {
    return side;
  }

  public Endpoint endpoint() {
    return endpoint;
  }

  /**
   * Logs in, in this host's next login slot. A server that refuses for now ("[UNAVAILABLE]", too
   * many connections) is waited for, with backoff, and asked again.
   */
  public IMAPStore connect() {
    while (true) {
      if (throttle != null) {
        throttle.host().awaitLogin();
      }
      var session =
          throttle == null
              ? MailSessions.forEndpoint(endpoint, settings)
              : MailSessions.forEndpoint(endpoint, settings, throttle::onWire);
      try {
        IMAPStore store = (IMAPStore) session.getStore(endpoint.scheme());
        // Never the secret, nor Angus Mail's protocol trace (it would show the LOGIN line).
        log.debug(
            "{}: connecting to {}:{} as {} ({}, {})",
            side,
            endpoint.host(),
            endpoint.port(),
            endpoint.user(),
            endpoint.scheme(),
            settings.xoauth2() ? "XOAUTH2" : "password");
        // The secret is read now, at each login: a token may have been refreshed since the last.
        store.connect(endpoint.host(), endpoint.port(), endpoint.user(), secret.read());
        log.debug("{}: logged in to {} as {}", side, endpoint.host(), endpoint.user());
        return store;
      } catch (AuthenticationFailedException e) {
        if (!backedOff(e)) {
          throw new MailferryException.LoginRefused(
              "The "
                  + side
                  + " server "
                  + endpoint.host()
                  + " refused the login of "
                  + endpoint.user()
                  + serverSays(e)
                  + ".",
              e);
        }
      } catch (MessagingException e) {
        if (!backedOff(e)) {
          throw ConnectionFailures.classify(side, endpoint, e);
        }
      }
    }
  }

  /** Waits out the server's request to slow down in this failure, if it is one. */
  boolean backedOff(MessagingException e) {
    ThrottleSignal signal = throttle == null ? null : ConnectionFailures.throttleSignal(e);
    if (signal == null) {
      return false;
    }
    throttle.backoff().pause(signal);
    return true;
  }

  private static String serverSays(MessagingException e) {
    String text = e.getMessage();
    return text == null || text.isBlank() ? "" : " (" + text.strip() + ")";
  }
}

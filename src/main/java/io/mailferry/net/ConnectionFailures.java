package io.mailferry.net;

import io.mailferry.mail.Endpoint;
import io.mailferry.mail.MailferryException;
import io.mailferry.mail.Printable;
import io.mailferry.throttle.ThrottleSignal;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import javax.net.ssl.SSLException;

/** Maps a failed connection or command to the sentence and exit code a user should see. */
public final class ConnectionFailures {

  private ConnectionFailures() {}

  public static MailferryException classify(String side, Endpoint endpoint, Exception e) {
    String host = endpoint.host() + ":" + endpoint.port();
    Throwable root = rootCause(e);
    String breach = oversized(e);
    if (breach == null) {
      breach = guardSays(e, ResponseGuard.Breach.class);
    }
    if (breach != null) {
      return new MailferryException.ProtocolViolation(
          "The "
              + side
              + " server "
              + host
              + " broke the protocol: "
              + Printable.escape(breach)
              + ".",
          e);
    }
    String slow = guardSays(e, ResponseGuard.TooSlow.class);
    if (slow != null) {
      return new MailferryException.Temporary(
          "The "
              + side
              + " host "
              + host
              + " stopped answering in time: "
              + Printable.escape(slow)
              + ".",
          e);
    }
    if (root instanceof UnknownHostException) {
      return new MailferryException.Unreachable(
          "The " + side + " host " + endpoint.host() + " is unknown.", e);
    }
    if (root instanceof ConnectException || root instanceof NoRouteToHostException) {
      return new MailferryException.Unreachable(
          "Cannot reach the "
              + side
              + " host "
              + host
              + ": "
              + lower(root.getMessage(), "connection refused")
              + ".",
          e);
    }
    if (chainMentions(e, "No subject alternative") || chainMentions(e, "No name matching")) {
      // The JDK checks the host name inside the trust check: the certificate may well be trusted.
      return new MailferryException.Unreachable(
          "TLS with the "
              + side
              + " host "
              + host
              + " failed: its certificate does not name the host "
              + endpoint.host()
              + ".",
          e);
    }
    if (chainHas(e, java.security.cert.CertificateException.class)
        || chainHas(e, java.security.cert.CertPathValidatorException.class)
        || chainMentions(e, "PKIX")
        || chainMentions(e, "unable to find valid certification path")) {
      return new MailferryException.Unreachable(
          "TLS with the "
              + side
              + " host "
              + host
              + " failed: its certificate is not trusted (for a self-signed certificate use --"
              + (side.equals("source") ? "from" : "to")
              + "-trust-cert FILE).",
          e);
    }
    if (String.valueOf(root.getMessage()).contains("identity of server")) {
      return new MailferryException.Unreachable(
          "TLS with the "
              + side
              + " host "
              + host
              + " failed: its certificate is not issued for "
              + endpoint.host()
              + ".",
          e);
    }
    if (chainHas(e, SSLException.class) || chainMentions(e, "STARTTLS failure")) {
      return new MailferryException.Unreachable(
          "TLS with the "
              + side
              + " host "
              + host
              + " failed: "
              + lower(root.getMessage(), "handshake error")
              + ".",
          e);
    }
    String text = String.valueOf(e.getMessage());
    if (chainMentions(e, "STARTTLS is required") || chainMentions(e, "STARTTLS required")) {
      return new MailferryException.Unreachable(
          "The "
              + side
              + " server "
              + host
              + " does not offer STARTTLS, and a password is not sent in clear: use "
              + endpoint.protocol().name().toLowerCase()
              + "s:// or --allow-plaintext.",
          e);
    }
    if (root instanceof SocketTimeoutException) {
      return new MailferryException.Temporary(
          "The " + side + " host " + host + " stopped answering (timeout).", e);
    }
    if (root instanceof IOException) {
      return new MailferryException.Temporary(
          "The connection to the "
              + side
              + " host "
              + host
              + " was lost: "
              + lower(root.getMessage(), "closed")
              + ".",
          e);
    }
    return new MailferryException.Temporary(
        "The " + side + " host " + host + " failed: " + lower(text, "unknown error") + ".", e);
  }

  /**
   * The guard's words when this failure is a literal larger than the command expected (a message
   * larger than its announced size), or null.
   */
  public static String oversized(Throwable e) {
    return guardSays(e, ResponseGuard.Oversized.class);
  }

  /**
   * The words of the response guard's exception of {@code type} in this failure, or null. Angus
   * turns a failed read into a synthetic BYE that may keep only the exception's text.
   */
  private static String guardSays(Throwable e, Class<? extends java.io.IOException> type) {
    String marker = type.getName() + ": ";
    for (Throwable t = e; t != null; t = next(t)) {
      if (type.isInstance(t)) {
        return t.getMessage();
      }
      String text = t.getMessage();
      int at = text == null ? -1 : text.indexOf(marker);
      if (at >= 0) {
        return text.substring(at + marker.length()).strip();
      }
    }
    return null;
  }

  /**
   * The server's request to slow down in this failure, or null: a response code or words of {@link
   * ThrottleSignal}, or a BYE the server sent in the middle of the run (not a connection that
   * broke, which Angus also reports as a BYE, quoting the I/O error).
   */
  public static ThrottleSignal throttleSignal(Exception e) {
    for (Throwable t = e; t != null; t = next(t)) {
      ThrottleSignal signal = ThrottleSignal.inText(t.getMessage());
      if (signal != null) {
        return signal;
      }
    }
    for (Throwable t = e; t != null; t = next(t)) {
      if (t instanceof jakarta.mail.FolderClosedException
          || t instanceof jakarta.mail.StoreClosedException
          || t instanceof org.eclipse.angus.mail.iap.ConnectionException) {
        String words = t.getMessage();
        if (words != null
            && !words.isBlank()
            && !words.contains("Exception")
            && !(rootCause(e) instanceof IOException)) {
          return ThrottleSignal.bye(words);
        }
      }
    }
    return null;
  }

  public static Throwable rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    // Angus wraps the I/O failure as "nested exception"; MessagingException keeps it as next.
    if (t instanceof jakarta.mail.MessagingException me && me.getNextException() != null) {
      return rootCause(me.getNextException());
    }
    return t;
  }

  private static boolean chainHas(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = next(t)) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  private static boolean chainMentions(Throwable e, String text) {
    for (Throwable t = e; t != null; t = next(t)) {
      if (String.valueOf(t.getMessage()).contains(text)) {
        return true;
      }
    }
    return false;
  }

  private static Throwable next(Throwable t) {
    Throwable n =
        t instanceof jakarta.mail.MessagingException me && me.getNextException() != null
            ? me.getNextException()
            : t.getCause();
    return n == t ? null : n;
  }

  private static String lower(String s, String fallback) {
    if (s == null || s.isBlank()) {
      return fallback;
    }
    String trimmed = s.strip();
    return trimmed.endsWith(".") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
  }
}

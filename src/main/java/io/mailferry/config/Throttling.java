package io.mailferry.config;

import java.time.Duration;
import java.util.Locale;

/**
 * How hard a run may press on its servers, besides the per-account connection cap: a cap per host
 * across every account of the process, the spacing of logins, rates per account and per host, a
 * largest message, and how long to keep backing off when a server asks to slow down. Zero means "no
 * limit" for the caps, rates and size.
 *
 * <p>Not part of a migration's identity: a re-run with other values continues the same job.
 *
 * @param preset the provider preset these values started from ("" for none), for the record
 * @param maxHostConnections open connections per host and side across all accounts of the process
 * @param loginInterval the least time between two logins to one host
 * @param bytesPerSecond bytes on the wire per account and side (both directions)
 * @param hostBytesPerSecond bytes on the wire per host and side, all accounts together
 * @param messagesPerSecond messages copied per account
 * @param hostMessagesPerSecond messages copied per host and side, all accounts together
 * @param maxMessageSize a larger message is skipped, as one above the destination's APPENDLIMIT
 * @param maxBackoffWait the total time a run may spend waiting on a server's slow-down signals
 */
public record Throttling(
    String preset,
    int maxHostConnections,
    Duration loginInterval,
    long bytesPerSecond,
    long hostBytesPerSecond,
    double messagesPerSecond,
    double hostMessagesPerSecond,
    long maxMessageSize,
    Duration maxBackoffWait) {

  public static final Duration DEFAULT_LOGIN_INTERVAL = Duration.ofMillis(200);
  public static final Duration DEFAULT_MAX_BACKOFF_WAIT = Duration.ofMinutes(15);

  public static Throttling defaults() {
    return new Throttling("", 0, DEFAULT_LOGIN_INTERVAL, 0, 0, 0, 0, 0, DEFAULT_MAX_BACKOFF_WAIT);
  }

  /** One line, for job parameters: every value, in order. */
  @Override
  public String toString() {
    return String.join(
        " ",
        preset.isEmpty() ? "-" : preset,
        String.valueOf(maxHostConnections),
        String.valueOf(loginInterval.toMillis()),
        String.valueOf(bytesPerSecond),
        String.valueOf(hostBytesPerSecond),
        number(messagesPerSecond),
        number(hostMessagesPerSecond),
        String.valueOf(maxMessageSize),
        String.valueOf(maxBackoffWait.toMillis()));
  }

  public static Throttling parse(String s) {
    if (s == null || s.isBlank()) {
      return defaults(); // a job stored before throttling existed
    }
    String[] p = s.strip().split(" ");
    return new Throttling(
        p[0].equals("-") ? "" : p[0],
        Integer.parseInt(p[1]),
        Duration.ofMillis(Long.parseLong(p[2])),
        Long.parseLong(p[3]),
        Long.parseLong(p[4]),
        Double.parseDouble(p[5]),
        Double.parseDouble(p[6]),
        Long.parseLong(p[7]),
        Duration.ofMillis(Long.parseLong(p[8])));
  }

  private static String number(double d) {
    return d == Math.rint(d) ? String.valueOf((long) d) : String.format(Locale.ROOT, "%s", d);
  }
}

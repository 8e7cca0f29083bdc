package io.mailferry.config;

import java.util.List;
import java.util.Locale;

/**
 * What a provider is known to tolerate, so that a migration never gets an account suspended. Each
 * value is a starting point; an explicit option overrides it. The README has the same table.
 *
 * @param excludes folders not worth copying from this provider (views of other folders, sync logs)
 */
public record Preset(
    String name,
    int maxConnections,
    int maxHostConnections,
    long loginIntervalMillis,
    long bytesPerSecond,
    double messagesPerSecond,
    long maxMessageSize,
    List<String> excludes) {

  private static final long MIB = 1024 * 1024;

  /**
   * Gmail: 15 IMAP connections per account (we keep 5 in reserve for the user's own clients), about
   * 500 MB of upload a day, answered with "[OVERQUOTA] Account exceeded command or bandwidth
   * limits" (a rate limit: mailferry backs off). "All Mail", "Important" and "Starred" are views of
   * the labels: copying them would copy every message twice.
   */
  public static final Preset GMAIL =
      new Preset(
          "gmail",
          10,
          0,
          1000,
          0,
          0,
          25 * MIB,
          List.of(
              "[Gmail]/All Mail",
              "[Gmail]/Important",
              "[Gmail]/Starred",
              "[Google Mail]/All Mail",
              "[Google Mail]/Important",
              "[Google Mail]/Starred"));

  /**
   * Office 365 / Exchange Online: throttles to about one message a second per mailbox and says
   * "Request is throttled. Suggested Backoff Time: N milliseconds"; messages up to 35 MB. Outlook's
   * "Sync Issues" folders are client logs, not mail.
   */
  public static final Preset OFFICE365 =
      new Preset("office365", 4, 0, 1000, 0, 1, 35 * MIB, List.of("Sync Issues", "Sync Issues/*"));

  /** Exchange on premises: a default of few IMAP connections per user and 25 MB messages. */
  public static final Preset EXCHANGE =
      new Preset("exchange", 4, 0, 500, 0, 2, 25 * MIB, List.of("Sync Issues", "Sync Issues/*"));

  public static final List<Preset> ALL = List.of(GMAIL, OFFICE365, EXCHANGE);

  /** The preset of this name, or null. */
  public static Preset named(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return ALL.stream().filter(p -> p.name.equals(n)).findFirst().orElse(null);
  }
}

package io.mailferry.throttle;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server asking us to slow down, in any of the ways servers say it: the response codes of RFC
 * 5530 ([THROTTLED], [UNAVAILABLE], [LIMIT], [INUSE]), Exchange Online's "Request is throttled.
 * Suggested Backoff Time: N milliseconds", Gmail's "[OVERQUOTA] Account exceeded command or
 * bandwidth limits" (a rate limit, not a full mailbox), too many connections, or a BYE in the
 * middle of a run.
 *
 * @param reason the server's words, for the log
 * @param suggested the wait the server asked for, or null
 */
public record ThrottleSignal(String reason, Duration suggested) {

  private static final Pattern SUGGESTED =
      Pattern.compile(
          "(?i)suggested\\s+backoff\\s+time:?\\s*(\\d+)\\s*(milliseconds|ms|seconds|s)\\b");
  private static final Pattern CODES =
      Pattern.compile("(?i)\\[(THROTTLED|UNAVAILABLE|LIMIT|INUSE)]");

  /** The signal in a server's answer, or null when the answer is not one. */
  public static ThrottleSignal inText(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    String reason = text.strip();
    Matcher suggested = SUGGESTED.matcher(reason);
    if (suggested.find()) {
      long n = Long.parseLong(suggested.group(1));
      boolean seconds = suggested.group(2).toLowerCase(Locale.ROOT).startsWith("s");
      return new ThrottleSignal(reason, seconds ? Duration.ofSeconds(n) : Duration.ofMillis(n));
    }
    String lower = reason.toLowerCase(Locale.ROOT);
    if (isSizeLimit(lower)) {
      return null; // Dovecot's "[LIMIT] Mail size is larger than …": this message, not the pace
    }
    if (CODES.matcher(reason).find()
        || isBandwidthLimit(lower)
        || lower.contains("request is throttled")
        || lower.contains("too many simultaneous connections")
        || lower.contains("maximum number of connections")) {
      return new ThrottleSignal(reason, null);
    }
    return null;
  }

  /** [LIMIT] also says that one message is too large: waiting would not help it. */
  private static boolean isSizeLimit(String lower) {
    return lower.contains("[limit]")
        && (lower.contains("size") || lower.contains("too large") || lower.contains("too big"));
  }

  /** Gmail's rate limit wears the code of a full mailbox: tell them apart by the words. */
  public static boolean isBandwidthLimit(String text) {
    String lower = text.toLowerCase(Locale.ROOT);
    return lower.contains("[overquota]")
        && (lower.contains("bandwidth") || lower.contains("command or"));
  }

  /** The server closed the connection in the middle of the run with these words. */
  public static ThrottleSignal bye(String words) {
    return new ThrottleSignal("BYE " + (words == null ? "" : words.strip()), null);
  }
}

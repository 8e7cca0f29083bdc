package io.mailferry.cli;

import io.mailferry.config.Preset;
import io.mailferry.config.Throttling;
import io.mailferry.mail.MailferryException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import picocli.CommandLine.Option;

/**
 * How hard a job may press on its servers: host caps, login spacing, rates, the largest message,
 * the backoff budget, and provider presets. An option given explicitly beats the preset's value.
 */
final class ThrottleArgs {

  @Option(
      names = "--preset",
      paramLabel = "PROVIDER",
      description =
          "start from the limits known for a provider: gmail, office365 or exchange (see README)")
  String preset;

  @Option(
      names = "--max-host-connections",
      paramLabel = "N",
      description =
          "connections per host and side, across all accounts of the process (default: no cap)")
  Integer maxHostConnections;

  @Option(
      names = "--login-interval",
      paramLabel = "MILLIS",
      description = "the least time between two logins to one host (default 200)")
  Long loginIntervalMillis;

  @Option(
      names = "--max-bytes-per-second",
      paramLabel = "BYTES",
      description = "bytes on the wire per account and side, e.g. 500k or 2M (default: no limit)")
  String bytesPerSecond;

  @Option(
      names = "--max-host-bytes-per-second",
      paramLabel = "BYTES",
      description =
          "bytes on the wire per host and side, all accounts together (default: no limit)")
  String hostBytesPerSecond;

  @Option(
      names = "--max-messages-per-second",
      paramLabel = "RATE",
      description =
          "messages copied per second for this account, e.g. 1 or 0.5 (default: no limit)")
  Double messagesPerSecond;

  @Option(
      names = "--max-host-messages-per-second",
      paramLabel = "RATE",
      description =
          "messages copied per second per host, all accounts together (default: no limit)")
  Double hostMessagesPerSecond;

  @Option(
      names = "--max-message-size",
      paramLabel = "BYTES",
      description =
          "skip larger messages, as above the destination's APPENDLIMIT, e.g. 25M (default: no limit)")
  String maxMessageSize;

  @Option(
      names = "--max-backoff-wait",
      paramLabel = "SECONDS",
      description =
          "stop (exit 75, resumable) once the servers' slow-down signals made the run wait this long "
              + "in all (default 900)")
  Long maxBackoffWaitSeconds;

  /** The preset named by --preset, or null. */
  Preset preset() {
    if (preset == null) {
      return null;
    }
    Preset p = Preset.named(preset);
    if (p == null) {
      throw new MailferryException.BadUsage(
          "--preset must be one of "
              + Preset.ALL.stream().map(Preset::name).collect(Collectors.joining(", "))
              + ", not '"
              + preset
              + "'.");
    }
    return p;
  }

  /** The preset's connection cap when --max-connections was not given, else null. */
  Integer presetMaxConnections() {
    Preset p = preset();
    return p == null ? null : p.maxConnections();
  }

  /** The excluded folders with the preset's added. */
  List<String> excludes(List<String> given) {
    Preset p = preset();
    List<String> all = new ArrayList<>(given);
    if (p != null) {
      p.excludes().stream().filter(e -> !all.contains(e)).forEach(all::add);
    }
    return all;
  }

  Throttling throttling() {
    Preset p = preset();
    Throttling d = Throttling.defaults();
    int hostCap =
        atLeast(
            first(maxHostConnections, p == null ? null : p.maxHostConnections(), 0),
            0,
            "--max-host-connections");
    long login =
        atLeast(
            first(
                loginIntervalMillis,
                p == null ? null : p.loginIntervalMillis(),
                d.loginInterval().toMillis()),
            0,
            "--login-interval");
    long bytes =
        first(
            bytes(bytesPerSecond, "--max-bytes-per-second"),
            p == null ? null : p.bytesPerSecond(),
            0L);
    long hostBytes = first(bytes(hostBytesPerSecond, "--max-host-bytes-per-second"), null, 0L);
    double messages =
        rate(
            first(messagesPerSecond, p == null ? null : p.messagesPerSecond(), 0.0),
            "--max-messages-per-second");
    double hostMessages =
        rate(first(hostMessagesPerSecond, null, 0.0), "--max-host-messages-per-second");
    long largest =
        first(
            bytes(maxMessageSize, "--max-message-size"), p == null ? null : p.maxMessageSize(), 0L);
    long backoff = first(maxBackoffWaitSeconds, null, d.maxBackoffWait().toSeconds());
    if (backoff < 1) {
      throw new MailferryException.BadUsage("--max-backoff-wait must be at least 1 second.");
    }
    return new Throttling(
        p == null ? "" : p.name(),
        hostCap,
        Duration.ofMillis(login),
        bytes,
        hostBytes,
        messages,
        hostMessages,
        largest,
        Duration.ofSeconds(backoff));
  }

  @SafeVarargs
  private static <T> T first(T... values) {
    for (T v : values) {
      if (v != null) {
        return v;
      }
    }
    return null;
  }

  private static <N extends Number> N atLeast(N value, long least, String option) {
    if (value.longValue() < least) {
      throw new MailferryException.BadUsage(option + " must be at least " + least + ".");
    }
    return value;
  }

  private static double rate(double value, String option) {
    if (value < 0 || Double.isNaN(value) || Double.isInfinite(value)) {
      throw new MailferryException.BadUsage(
          option + " takes a number of messages per second, 0 for no limit.");
    }
    return value;
  }

  /** "123", "500k", "2M", "1G" (binary multiples), or null. */
  static Long bytes(String text, String option) {
    if (text == null) {
      return null;
    }
    String t = text.strip().toUpperCase(Locale.ROOT);
    long unit = 1;
    if (t.endsWith("B")) {
      t = t.substring(0, t.length() - 1);
    }
    if (t.endsWith("K") || t.endsWith("M") || t.endsWith("G")) {
      unit =
          switch (t.charAt(t.length() - 1)) {
            case 'K' -> 1L << 10;
            case 'M' -> 1L << 20;
            default -> 1L << 30;
          };
      t = t.substring(0, t.length() - 1);
    }
    try {
      long n = Long.parseLong(t.strip());
      if (n < 0) {
        throw new NumberFormatException();
      }
      return Math.multiplyExact(n, unit);
    } catch (NumberFormatException | ArithmeticException e) {
      throw new MailferryException.BadUsage(
          option + " takes a number of bytes like 500k or 2M, not '" + text + "'.");
    }
  }
}

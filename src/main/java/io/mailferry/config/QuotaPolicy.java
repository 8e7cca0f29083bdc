package io.mailferry.config;

import java.util.Locale;

/**
 * What to do with the destination's quota before writing (--quota-policy, --quota-warn).
 *
 * @param action warn: say so and go on; stop: a job that would not fit exits 73 before writing
 *     anything; ignore: do not read the quota at all
 * @param warnPercent a quota root this full after the run (or fuller) is warned about
 */
public record QuotaPolicy(Action action, int warnPercent) {

  public static final int DEFAULT_WARN_PERCENT = 90;
  public static final QuotaPolicy DEFAULT = new QuotaPolicy(Action.WARN, DEFAULT_WARN_PERCENT);

  public enum Action {
    WARN,
    STOP,
    IGNORE;

    public String option() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public QuotaPolicy {
    if (warnPercent < 1 || warnPercent > 100) {
      throw new IllegalArgumentException("--quota-warn must be between 1 and 100");
    }
  }

  /** As the job parameter holds it: "warn 90". */
  @Override
  public String toString() {
    return action.option() + " " + warnPercent;
  }

  /** The inverse of {@link #toString()}; an execution stored before these options had none. */
  public static QuotaPolicy parse(String s) {
    if (s == null || s.isBlank()) {
      return DEFAULT;
    }
    String[] parts = s.strip().split(" ");
    return new QuotaPolicy(
        Action.valueOf(parts[0].toUpperCase(Locale.ROOT)), Integer.parseInt(parts[1]));
  }
}

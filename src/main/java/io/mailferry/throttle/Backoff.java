package io.mailferry.throttle;

import io.mailferry.mail.MailferryException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one side does when its server asks to slow down: waits (exponentially longer while the
 * signals keep coming, with jitter, at least what the server suggested, capped), lowers the
 * account's concurrency for a while, logs one line, and carries on. Past a total wait the run
 * stops, resumable (exit 75). Thread-safe; one per account and side.
 */
public final class Backoff {

  private static final Logger log = LoggerFactory.getLogger("io.mailferry.progress");

  /** Signals further apart than this start the doubling again. */
  static final Duration QUIET = Duration.ofMinutes(1);

  static final Duration MAX_DELAY = Duration.ofMinutes(2);
  static final Duration MAX_SUGGESTED = Duration.ofMinutes(10);

  private final String side;
  private final String host;
  private final Duration base;
  private final Duration maxTotal;
  private volatile Consumer<Duration> slowDown = d -> {};
  private int streak;
  private long lastSignal;
  private long totalMillis;
  private int signals;

  public Backoff(String side, String host, Duration base, Duration maxTotal) {
    this.side = side;
    this.host = host;
    this.base = base;
    this.maxTotal = maxTotal;
  }

  /** Who lowers the concurrency, and for how long it stays lowered. */
  public void onSlowDown(Consumer<Duration> slowDown) {
    this.slowDown = slowDown;
  }

  /**
   * Waits out one signal; throws {@link MailferryException.Temporary} once the total wait is spent.
   */
  public void pause(ThrottleSignal signal) {
    long delay;
    synchronized (this) {
      long now = System.nanoTime();
      if (signals > 0 && now - lastSignal > QUIET.toNanos()) {
        streak = 0;
      }
      lastSignal = now;
      signals++;
      delay = delayMillis(signal, streak++);
      if (totalMillis + delay > maxTotal.toMillis()) {
        throw new MailferryException.Temporary(
            "The "
                + side
                + " server "
                + host
                + " kept asking to slow down ("
                + signal.reason()
                + "); gave up after waiting "
                + seconds(totalMillis)
                + " in all (--max-backoff-wait "
                + maxTotal.toSeconds()
                + "). Run again later to resume.",
            null);
      }
      totalMillis += delay;
    }
    Duration lowered = QUIET.plus(Duration.ofMillis(delay));
    slowDown.accept(lowered);
    log.info(
        "The {} server {} asks to slow down ({}): waiting {}, fewer connections for {} s.",
        side,
        host,
        signal.reason(),
        seconds(delay),
        lowered.toSeconds());
    Pause.nanos(Duration.ofMillis(delay).toNanos());
  }

  private long delayMillis(ThrottleSignal signal, int streak) {
    long exponential = Math.min(MAX_DELAY.toMillis(), base.toMillis() << Math.min(streak, 16));
    // Full jitter on the upper half: threads throttled together do not come back together.
    long jittered = exponential / 2 + ThreadLocalRandom.current().nextLong(exponential / 2 + 1);
    if (signal.suggested() != null) {
      return Math.max(jittered, Math.min(signal.suggested().toMillis(), MAX_SUGGESTED.toMillis()));
    }
    return jittered;
  }

  /** How many signals this side received. */
  public synchronized int signals() {
    return signals;
  }

  public synchronized Duration totalWait() {
    return Duration.ofMillis(totalMillis);
  }

  private static String seconds(long millis) {
    return String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0);
  }
}

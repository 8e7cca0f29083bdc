package io.mailferry.throttle;

/**
 * A rate limit that holds over any window: a taker is let through only when the tokens it takes
 * were earned at the set rate. The bucket holds at most a tenth of a second of tokens, so a burst
 * after an idle spell stays small; a taking larger than that goes into debt, which the next takers
 * wait off. Thread-safe.
 */
public final class TokenBucket implements Rate {

  private static final double BURST_SECONDS = 0.1;

  private double perSecond;
  private double tokens;
  private long last = System.nanoTime();

  /**
   * @param perSecond tokens earned per second, more than 0
   */
  public TokenBucket(double perSecond) {
    if (!(perSecond > 0)) {
      throw new IllegalArgumentException("a rate must be more than 0");
    }
    this.perSecond = perSecond;
    this.tokens = capacity();
  }

  @Override
  public synchronized void atMost(double rate) {
    if (rate > 0 && rate < perSecond) {
      refill(System.nanoTime());
      perSecond = rate;
      tokens = Math.min(tokens, capacity());
    }
  }

  public synchronized double rate() {
    return perSecond;
  }

  @Override
  public void take(long n) {
    if (n <= 0) {
      return;
    }
    long waitNanos;
    synchronized (this) {
      refill(System.nanoTime());
      tokens -= n;
      waitNanos = tokens >= 0 ? 0 : (long) (-tokens / perSecond * 1e9);
    }
    Pause.nanos(waitNanos);
  }

  private void refill(long now) {
    tokens = Math.min(capacity(), tokens + (now - last) / 1e9 * perSecond);
    last = now;
  }

  private double capacity() {
    return Math.max(1, perSecond * BURST_SECONDS);
  }
}

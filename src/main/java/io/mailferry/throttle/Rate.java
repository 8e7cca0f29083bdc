package io.mailferry.throttle;

/**
 * A rate limit that takers wait for: in one process a {@link TokenBucket}; with remote workers a
 * {@link SharedRate} whose tokens come from the job store, so that the rate holds across every
 * worker together.
 */
public interface Rate {

  /** Takes {@code n} tokens, waiting until they are earned. */
  void take(long n);

  /** Lowers the rate to at most this (a stricter account sharing it). */
  void atMost(double perSecond);
}

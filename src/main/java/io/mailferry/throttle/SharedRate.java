package io.mailferry.throttle;

import java.util.concurrent.locks.ReentrantLock;

/**
 * A rate that holds across processes: tokens are borrowed from a bucket in the job store ({@link
 * SharedBuckets}) in grants of a tenth of a second of the rate, and spent here. A byte rate is
 * taken a few bytes at a time, so a round trip per taking would cost more than the copy; per grant
 * it is a few per second. Every token spent was borrowed from the shared bucket and its debt waited
 * off first, so all processes together stay at the rate.
 */
final class SharedRate implements Rate {

  private final SharedBuckets buckets;
  private final String key;
  private final double burstSeconds;
  private final double grantSeconds;
  // Fair: the takers of this process wait their turn behind a borrower that waits off a debt.
  private final ReentrantLock lock = new ReentrantLock(true);
  private volatile double perSecond;
  private double tokens; // borrowed and waited for, not yet spent

  /**
   * @param perSecond more than 0; infinite for no limit (a login spacing of zero)
   * @param grantSeconds how much of the rate to borrow at once beyond what is asked; zero to borrow
   *     exactly (logins: each one must get its own slot)
   */
  SharedRate(
      SharedBuckets buckets,
      String key,
      double perSecond,
      double burstSeconds,
      double grantSeconds) {
    if (!(perSecond > 0)) {
      throw new IllegalArgumentException("a rate must be more than 0");
    }
    this.buckets = buckets;
    this.key = key;
    this.perSecond = perSecond;
    this.burstSeconds = burstSeconds;
    this.grantSeconds = grantSeconds;
  }

  @Override
  public void take(long n) {
    if (n <= 0 || Double.isInfinite(perSecond)) {
      return;
    }
    lock.lock();
    try {
      if (tokens >= n) {
        tokens -= n;
        return;
      }
      double borrow = Math.max(n - tokens, perSecond * grantSeconds);
      long debt = buckets.take(key, perSecond, burstSeconds, borrow);
      tokens += borrow - n;
      // Under the lock: what was borrowed is not this process's to spend until the debt is paid.
      Pause.nanos(debt);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void atMost(double rate) {
    if (rate > 0 && rate < perSecond) {
      perSecond = rate;
    }
  }
}

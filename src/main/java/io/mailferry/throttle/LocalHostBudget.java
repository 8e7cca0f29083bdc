package io.mailferry.throttle;

import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.TimeUnit;

/** A host's connection cap inside one process. Thread-safe. */
public final class LocalHostBudget implements HostBudget {

  private final Set<Runnable> reclaimers = new CopyOnWriteArraySet<>();
  private int cap;
  private int open;
  private int peak;

  public LocalHostBudget(int cap) {
    if (cap < 1) {
      throw new IllegalArgumentException("a host cap must be at least 1");
    }
    this.cap = cap;
  }

  /** Lowers the cap to at most this: the strictest account sharing the host wins. */
  @Override
  public synchronized void atMost(int newCap) {
    if (newCap >= 1 && newCap < cap) {
      cap = newCap;
    }
  }

  @Override
  public boolean tryAcquire(long waitMillis) throws InterruptedException {
    if (take()) {
      return true;
    }
    // At the cap: idle connections kept by other pools are the first to go, then we wait.
    reclaimers.forEach(Runnable::run);
    synchronized (this) {
      if (open >= cap) {
        TimeUnit.MILLISECONDS.timedWait(this, waitMillis);
      }
    }
    return take();
  }

  private synchronized boolean take() {
    if (open < cap) {
      open++;
      peak = Math.max(peak, open);
      return true;
    }
    return false;
  }

  @Override
  public synchronized void release() {
    open--;
    notifyAll();
  }

  public synchronized int openConnections() {
    return open;
  }

  @Override
  public synchronized int peakConnections() {
    return peak;
  }

  @Override
  public void addIdleReclaimer(Runnable closeIdle) {
    reclaimers.add(closeIdle);
  }

  @Override
  public void removeIdleReclaimer(Runnable closeIdle) {
    reclaimers.remove(closeIdle);
  }
}

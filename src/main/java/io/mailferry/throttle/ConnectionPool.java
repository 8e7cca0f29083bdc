package io.mailferry.throttle;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A capped pool of reusable connections for one account. A connection counts against the cap from
 * the moment it is opened until it is closed, idle or not, so retries, reconnects, partitions and
 * threads can never push the number of open connections over the cap. Each connection also holds a
 * slot of its host's budget, shared with other accounts, for as long as it is open.
 *
 * <p>When the server asks to slow down, {@link #slowDown} halves the connections in use for a
 * while: borrowers wait, and connections given back above the lowered cap are closed.
 *
 * <p>Thread-safe. Not restartable: {@link #close()} closes every idle connection and refuses more.
 */
public final class ConnectionPool<C extends AutoCloseable> implements AutoCloseable {

  private final int cap;
  private final Supplier<C> opener;
  private final Predicate<C> alive;
  private final HostBudget host;
  private final Runnable reclaimIdle = this::closeIdleUnlessWaiting;
  private final Deque<C> idle = new ArrayDeque<>();
  private int open;
  private int inUse;
  private int peak;
  private int loweredCap;
  private long loweredUntil;
  private int lowestCap;
  private boolean closed;

  /** Threads of this pool waiting for a host slot: they want the idle connections themselves. */
  private int hostWaiters;

  private static final long HOST_POLL_MILLIS = 100;

  public ConnectionPool(int cap, Supplier<C> opener, Predicate<C> alive) {
    this(cap, opener, alive, HostBudget.UNLIMITED);
  }

  public ConnectionPool(int cap, Supplier<C> opener, Predicate<C> alive, HostBudget host) {
    if (cap < 1) {
      throw new IllegalArgumentException("the connection cap must be at least 1");
    }
    this.cap = cap;
    this.opener = opener;
    this.alive = alive;
    this.host = host;
    this.lowestCap = cap;
    host.addIdleReclaimer(reclaimIdle);
  }

  /** Takes an idle connection, or opens one when under the cap, or waits for one to come back. */
  public C acquire() throws InterruptedException {
    synchronized (this) {
      while (true) {
        if (closed) {
          throw new IllegalStateException("connection pool closed");
        }
        if (inUse >= currentCap()) {
          waitForChange();
          continue;
        }
        C reused = takeIdle();
        if (reused != null) {
          inUse++;
          return reused;
        }
        if (open < cap) {
          open++; // reserve the slot before opening, outside the lock
          inUse++;
          peak = Math.max(peak, open);
          break;
        }
        waitForChange();
      }
    }
    boolean hostSlot = false;
    waitingForHost(1);
    try {
      while (!(hostSlot = host.tryAcquire(HOST_POLL_MILLIS))) {
        C reused = reuseWhileWaitingForHost();
        if (reused != null) {
          return reused;
        }
      }
      return opener.get();
    } catch (InterruptedException | RuntimeException | Error e) {
      if (hostSlot) {
        host.release();
      }
      synchronized (this) {
        open--;
        inUse--;
        notifyAll();
      }
      throw e;
    } finally {
      waitingForHost(-1);
    }
  }

  private synchronized void waitingForHost(int delta) {
    hostWaiters += delta;
  }

  /**
   * The host is at its cap: rather than open a new connection, take one of ours that came back
   * meanwhile (the slot reserved for the new one is given up; the connection is still in use).
   */
  private synchronized C reuseWhileWaitingForHost() {
    if (closed) {
      throw new IllegalStateException("connection pool closed");
    }
    C reused = takeIdle();
    if (reused != null) {
      open--;
      notifyAll();
    }
    return reused;
  }

  private C takeIdle() {
    while (!idle.isEmpty()) {
      C candidate = idle.pop();
      if (alive.test(candidate)) {
        return candidate;
      }
      closeOne(candidate);
    }
    return null;
  }

  /** Waits for a connection to come back, or for a lowered cap to end. */
  private void waitForChange() throws InterruptedException {
    long left = loweredUntil - System.nanoTime();
    if (loweredCap > 0 && left > 0) {
      TimeUnit.NANOSECONDS.timedWait(this, left);
    } else {
      wait();
    }
  }

  /** Gives a healthy connection back for reuse. */
  public synchronized void release(C connection) {
    inUse--;
    if (closed || open > currentCap() || !host.keepsIdle()) {
      closeOne(
          connection); // shutting down, fewer connections asked for, or a budget shared beyond us
    } else {
      idle.push(connection);
    }
    notifyAll();
  }

  /** Closes a connection that failed; its slot becomes free. */
  public synchronized void discard(C connection) {
    inUse--;
    closeOne(connection);
    notifyAll();
  }

  /**
   * The server asked to slow down: for {@code period}, half as many connections in use as now
   * allowed (at least one). Idle ones above that are closed at once.
   */
  public synchronized void slowDown(Duration period) {
    loweredCap = Math.max(1, currentCap() / 2);
    lowestCap = Math.min(lowestCap, loweredCap);
    loweredUntil = System.nanoTime() + period.toNanos();
    while (open > loweredCap && !idle.isEmpty()) {
      closeOne(idle.pop());
    }
    notifyAll();
  }

  private int currentCap() {
    if (loweredCap > 0 && System.nanoTime() - loweredUntil >= 0) {
      loweredCap = 0; // the lowered period is over
    }
    return loweredCap > 0 ? loweredCap : cap;
  }

  /** Another account waits for a slot of the host: our idle connections go, unless we wait too. */
  private synchronized void closeIdleUnlessWaiting() {
    if (hostWaiters == 0) {
      closeIdle();
    }
  }

  /** Closes the idle connections. */
  public synchronized void closeIdle() {
    while (!idle.isEmpty()) {
      closeOne(idle.pop());
    }
    notifyAll();
  }

  public synchronized int openConnections() {
    return open;
  }

  /** The most connections that were open at one time: what tests and reports look at. */
  public synchronized int peakConnections() {
    return peak;
  }

  /** The lowest the cap was lowered to by slow-down signals (the cap when there were none). */
  public synchronized int lowestCap() {
    return lowestCap;
  }

  @Override
  public synchronized void close() {
    closed = true;
    closeIdle();
    host.removeIdleReclaimer(reclaimIdle);
  }

  private void closeOne(C c) {
    try {
      c.close();
    } catch (Exception ignored) {
      // A connection that cannot close cleanly is gone all the same.
    } finally {
      open--;
      host.release();
    }
  }
}

package io.mailferry.throttle;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A capped pool of reusable connections for one account. A connection counts against the cap
 * from the moment it is opened until it is closed, idle or not, so retries, reconnects, partitions
 * and threads can never push the number of open connections over the cap.
 *
 * <p>Thread-safe. Not restartable: {@link #close()} closes every idle connection and refuses more.
 */
public final class ConnectionPool<C extends AutoCloseable> implements AutoCloseable {

  private final int cap;
  private final Supplier<C> opener;
  private final Predicate<C> alive;
  private final Deque<C> idle = new ArrayDeque<>();
  private int open;
  private int peak;
  private boolean closed;

  public ConnectionPool(int cap, Supplier<C> opener, Predicate<C> alive) {
    if (cap < 1) {
      throw new IllegalArgumentException("the connection cap must be at least 1");
    }
    this.cap = cap;
    this.opener = opener;
    this.alive = alive;
  }

  /** Takes an idle connection, or opens one when under the cap, or waits for one to come back. */
  public C acquire() throws InterruptedException {
    synchronized (this) {
      while (true) {
        if (closed) {
          throw new IllegalStateException("connection pool closed");
        }
        while (!idle.isEmpty()) {
          C candidate = idle.pop();
          if (alive.test(candidate)) {
            return candidate;
          }
          quietlyClose(candidate);
          open--;
        }
        if (open < cap) {
          open++; // reserve the slot before opening, outside the lock
          peak = Math.max(peak, open);
          break;
        }
        wait();
      }
    }
    try {
      return opener.get();
    } catch (RuntimeException | Error e) {
      synchronized (this) {
        open--;
        notifyAll();
      }
      throw e;
    }
  }

  /** Gives a healthy connection back for reuse. */
  public synchronized void release(C connection) {
    if (closed) {
      quietlyClose(connection);
      open--;
    } else {
      idle.push(connection);
    }
    notifyAll();
  }

  /** Closes a connection that failed; its slot becomes free. */
  public synchronized void discard(C connection) {
    quietlyClose(connection);
    open--;
    notifyAll();
  }

  public synchronized int openConnections() {
    return open;
  }

  /** The most connections that were open at one time: what tests and reports look at. */
  public synchronized int peakConnections() {
    return peak;
  }

  @Override
  public synchronized void close() {
    closed = true;
    while (!idle.isEmpty()) {
      quietlyClose(idle.pop());
      open--;
    }
    notifyAll();
  }

  private static void quietlyClose(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception ignored) {
      // A connection that cannot close cleanly is gone all the same.
    }
  }
}

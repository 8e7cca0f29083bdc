package io.mailferry.throttle;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Map;
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
  private final PermitSource permits;
  private final boolean keepIdle;
  /** Each open connection's place in the host budget, given back when it closes. */
  private final Map<C, HostConnectionBudget.Permit> held = new IdentityHashMap<>();
  private final Deque<C> idle = new ArrayDeque<>();
  private int open;
  private int peak;
  private boolean closed;

  public ConnectionPool(int cap, Supplier<C> opener, Predicate<C> alive) {
    this(cap, opener, alive, () -> () -> {}, true);
  }

  /**
   * A pool whose connections also count against a budget shared beyond it (a host's cap across
   * processes). A connection given back is closed, not kept idle: idle, it would hold a place
   * that another process may be waiting for, and two pools each holding idle what the other
   * waits for would wait forever.
   */
  public ConnectionPool(int cap, Supplier<C> opener, Predicate<C> alive, PermitSource permits) {
    this(cap, opener, alive, permits, false);
  }

  private ConnectionPool(int cap, Supplier<C> opener, Predicate<C> alive, PermitSource permits, boolean keepIdle) {
    if (cap < 1) {
      throw new IllegalArgumentException("the connection cap must be at least 1");
    }
    this.cap = cap;
    this.opener = opener;
    this.alive = alive;
    this.permits = permits;
    this.keepIdle = keepIdle;
  }

  /** Where a new connection takes its place in a wider budget; waits while that budget is full. */
  @FunctionalInterface
  public interface PermitSource {
    HostConnectionBudget.Permit take() throws InterruptedException;
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
          closeConnection(candidate);
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
    HostConnectionBudget.Permit permit = null;
    try {
      permit = permits.take();
      C connection = opener.get();
      synchronized (this) {
        held.put(connection, permit);
      }
      return connection;
    } catch (RuntimeException | Error | InterruptedException e) {
      if (permit != null) {
        permit.close();
      }
      synchronized (this) {
        open--;
        notifyAll();
      }
      throw e;
    }
  }

  /** Gives a healthy connection back for reuse (closed instead in a pool with a shared budget). */
  public synchronized void release(C connection) {
    if (closed || !keepIdle) {
      closeConnection(connection);
      open--;
    } else {
      idle.push(connection);
    }
    notifyAll();
  }

  /** Closes a connection that failed; its slot becomes free. */
  public synchronized void discard(C connection) {
    closeConnection(connection);
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
      closeConnection(idle.pop());
      open--;
    }
    notifyAll();
  }

  /** Closes a connection and gives its place in the host budget back. Called holding the lock. */
  private void closeConnection(C connection) {
    quietlyClose(connection);
    HostConnectionBudget.Permit permit = held.remove(connection);
    if (permit != null) {
      permit.close();
    }
  }

  private static void quietlyClose(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception ignored) {
      // A connection that cannot close cleanly is gone all the same.
    }
  }
}

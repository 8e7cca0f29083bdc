package io.mailferry.throttle;

/**
 * How many connections may be open to one host on one side at once, counted across everything
 * that shares the budget (threads, jobs, or, with {@link DatabaseHostSlots}, processes on several
 * machines). A connection pool takes a permit before it opens a connection and gives it back when
 * the connection closes.
 */
public interface HostConnectionBudget {

  /** No limit beyond the pools' own caps: what a local run uses. */
  HostConnectionBudget UNLIMITED = (side, host) -> () -> {};

  /**
   * Waits until one more connection to {@code host} may be opened on {@code side} ("source" or
   * "destination"). Close the permit when that connection is closed.
   */
  Permit acquire(String side, String host) throws InterruptedException;

  /** One open connection's place in the budget. */
  @FunctionalInterface
  interface Permit extends AutoCloseable {
    @Override
    void close();
  }
}

package io.mailferry.throttle;

/**
 * The connections one side may have open to one host, across every account. Behind an interface
 * because several worker machines will share one budget through the job store; in one process it is
 * {@link LocalHostBudget}.
 */
public interface HostBudget {

  /** No cap: every acquire passes at once. */
  HostBudget UNLIMITED =
      new HostBudget() {
        @Override
        public boolean tryAcquire(long waitMillis) {
          return true;
        }

        @Override
        public void release() {}
      };

  /**
   * Takes one connection slot before a connection is opened, waiting up to {@code waitMillis} while
   * the host is at its cap.
   *
   * @return whether the slot was taken
   */
  boolean tryAcquire(long waitMillis) throws InterruptedException;

  /** Takes one connection slot, waiting as long as the host is at its cap. */
  default void acquire() throws InterruptedException {
    while (!tryAcquire(1000)) {
      // still at the cap
    }
  }

  /** Gives back the slot of a connection that was closed (or never opened). */
  void release();

  /**
   * A pool that keeps idle connections to this host says how to close them: a budget that makes
   * someone wait asks for them first, so idle connections of one account never starve another.
   */
  default void addIdleReclaimer(Runnable closeIdle) {}

  /** Another account joins with a stricter cap: lower it to at most this. */
  default void atMost(int cap) {}

  /** The most connections that were open at one time, or -1 when not known. */
  default int peakConnections() {
    return -1;
  }

  default void removeIdleReclaimer(Runnable closeIdle) {}

  /**
   * Whether a pool may keep a connection idle for reuse. A budget shared with other processes says
   * no: they cannot ask this process to close its idle connections.
   */
  default boolean keepsIdle() {
    return true;
  }

  /** Makes the budget of one host ("source HOST" or "destination HOST") with its cap. */
  @FunctionalInterface
  interface Factory {
    HostBudget budget(String key, int cap);
  }
}

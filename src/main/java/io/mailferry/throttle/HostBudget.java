package io.mailferry.throttle;

/**
 * The connections one side may have open to one host, across every account. Behind an interface
 * because several worker machines will share one budget through the job store; in one process
 * it is {@link LocalHostBudget}.
 */
public interface HostBudget {

  /** No cap: every acquire passes at once. */
  HostBudget UNLIMITED = new HostBudget() {
    @Override
    public void acquire() {}

    @Override
    public void release() {}
  };

  /** Takes one connection slot before a connection is opened, waiting while the host is at its cap. */
  void acquire() throws InterruptedException;

  /** Gives back the slot of a connection that was closed (or never opened). */
  void release();

  /**
   * A pool that keeps idle connections to this host says how to close them: a budget that makes
   * someone wait asks for them first, so idle connections of one account never starve another.
   */
  default void addIdleReclaimer(Runnable closeIdle) {}

  default void removeIdleReclaimer(Runnable closeIdle) {}
}

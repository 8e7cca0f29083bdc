package io.mailferry.throttle;

import io.mailferry.config.Throttling;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The process-wide registry of {@link HostGate}s, by side and host: a bulk run's many accounts
 * on one host share one connection cap, one login spacing and one rate. A gate lives while a
 * migration uses it, so that a later run in the same process starts with its own limits.
 */
public final class HostGates {

  private static final HostGates SHARED = new HostGates();

  private final Map<String, HostGate> gates = new HashMap<>();
  private HostBudget.Factory budgets = (key, cap) -> new LocalHostBudget(cap);

  public static HostGates shared() {
    return SHARED;
  }

  /**
   * Where host budgets come from: in one process, counters in memory; several worker machines
   * will share theirs through the job store. Applies to gates opened from now on.
   */
  public synchronized void budgets(HostBudget.Factory factory) {
    this.budgets = factory;
  }

  /** The gate of this side and host, joined with these limits; {@link #leave} it when done. */
  public synchronized HostGate join(String side, String host, Throttling limits) {
    String key = side + " " + host.toLowerCase(Locale.ROOT);
    HostGate gate = gates.computeIfAbsent(key, k -> new HostGate(k, limits, budgets));
    gate.join(limits);
    return gate;
  }

  public synchronized void leave(HostGate gate) {
    if (gate.leave()) {
      gates.remove(gate.key(), gate);
    }
  }
}

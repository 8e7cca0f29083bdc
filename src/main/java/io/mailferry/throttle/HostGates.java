package io.mailferry.throttle;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The process-wide registry of {@link HostGate}s, by side and host: a bulk run's many accounts on
 * one host share one connection cap, one login spacing and one rate. A gate lives while a migration
 * uses it, so that a later run in the same process starts with its own limits.
 */
public final class HostGates {

  private static final HostGates SHARED = new HostGates();

  private final Map<String, HostGate> gates = new HashMap<>();
  private HostBudget.Factory budgets = (key, cap) -> new LocalHostBudget(cap);
  private Rates rates = Rates.LOCAL;

  public static HostGates shared() {
    return SHARED;
  }

  /**
   * Where host budgets come from: in one process, counters in memory; several worker machines will
   * share theirs through the job store. Applies to gates opened from now on.
   */
  public synchronized void budgets(HostBudget.Factory factory) {
    this.budgets = factory;
  }

  /**
   * Where rates and login spacings come from: in memory, or through the job store for remote
   * workers. Applies to gates and throttles opened from now on.
   */
  public synchronized void rates(Rates factory) {
    this.rates = factory;
  }

  public synchronized Rates rates() {
    return rates;
  }

  /**
   * These rates are closed: gates opened later are back in memory (unless others were installed
   * since).
   */
  public synchronized void dropRates(Rates closed) {
    if (rates == closed) {
      rates = Rates.LOCAL;
    }
  }

  /** The gate of this side and host, joined with these limits; {@link #leave} it when done. */
  public synchronized HostGate join(String side, String host, Limits limits) {
    String key = side + " " + host.toLowerCase(Locale.ROOT);
    HostGate gate = gates.computeIfAbsent(key, k -> new HostGate(k, limits, budgets, rates));
    gate.join(limits);
    return gate;
  }

  public synchronized void leave(HostGate gate) {
    if (gate.leave()) {
      gates.remove(gate.key(), gate);
    }
  }
}

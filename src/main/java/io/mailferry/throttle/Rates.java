package io.mailferry.throttle;

import java.time.Duration;

/**
 * Where rates and login spacings come from, by key ("destination HOST messages", "source ACCOUNT
 * bytes"): in memory for a run in one process, from the job store for remote workers ({@link
 * DatabaseRates}). Installed in {@link HostGates#rates(Rates)}.
 */
public interface Rates {

  /** Buckets in this process's memory: no round trips, held by this process alone. */
  Rates LOCAL =
      new Rates() {
        @Override
        public Rate rate(String key, double perSecond) {
          return new TokenBucket(perSecond);
        }

        @Override
        public Logins logins(String key, Duration interval) {
          return new LoginSpacing(interval);
        }
      };

  /**
   * @param perSecond more than 0
   */
  Rate rate(String key, double perSecond);

  /**
   * @param interval zero for no spacing (until {@link Logins#atLeast} widens it)
   */
  Logins logins(String key, Duration interval);
}

package io.mailferry.job;

import io.mailferry.config.MigrationSettings;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * A restart runs with the job parameters of the execution it continues; a re-run that changed only
 * the connection caps or rates continues that execution, and must use the new values. The launcher
 * leaves them here, by source and destination, for the job's runtime to pick up.
 */
@Component
public class ThrottlingOverrides {

  private final Map<String, MigrationSettings> byPair = new ConcurrentHashMap<>();

  void put(MigrationSettings current) {
    byPair.put(key(current), current);
  }

  void remove(MigrationSettings current) {
    byPair.remove(key(current), current);
  }

  /** The stored settings with the caps and rates of the run that is restarting them, if any. */
  MigrationSettings apply(MigrationSettings stored) {
    MigrationSettings current = byPair.get(key(stored));
    return current == null
        ? stored
        : stored.withThrottling(current.maxConnections(), current.throttling());
  }

  private static String key(MigrationSettings s) {
    return s.from() + " → " + s.to();
  }
}

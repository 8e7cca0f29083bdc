package io.mailferry.job;

import io.mailferry.mail.MailferryException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.springframework.dao.ConcurrencyFailureException;

/**
 * Spring Batch creates job instances in SERIALIZABLE transactions: on PostgreSQL two accounts
 * starting at the same moment (a bulk run, or two managers) can make one of them fail to commit.
 * Nothing of it was stored, so such a start is tried again a little later.
 */
final class StartRetry {

  private static final org.slf4j.Logger log =
      org.slf4j.LoggerFactory.getLogger(MigrationLauncher.class);

  /** How often a start that lost a serialization race in the job store is tried again. */
  static final int START_ATTEMPTS = 8;

  private StartRetry() {}

  /** Runs the start, again (with a growing random pause) while it loses a serialization race. */
  static <T> T onSerializationRace(Supplier<T> start, Object what) {
    for (int attempt = 1; ; attempt++) {
      try {
        return start.get();
      } catch (MailferryException.Temporary e) {
        if (attempt == START_ATTEMPTS || !lostSerializationRace(e)) {
          throw e;
        }
        log.info("The job store was busy starting another migration; starting {} again.", what);
        sleepQuietly(ThreadLocalRandom.current().nextLong(50, 100L << attempt));
      }
    }
  }

  /**
   * The driver's words: Spring translates PostgreSQL's serialization failure (SQLSTATE 40001) into
   * a ConcurrencyFailureException where it can; where the job store wraps it otherwise, only the
   * message says so.
   */
  static boolean lostSerializationRace(Throwable e) {
    for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
      if (t instanceof ConcurrencyFailureException
          || String.valueOf(t.getMessage()).contains("could not serialize access")) {
        return true;
      }
    }
    return false;
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MailferryException.Temporary("Interrupted while starting the migration.", e);
    }
  }
}

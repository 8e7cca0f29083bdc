package io.mailferry.throttle;

import io.mailferry.mail.MailferryException;
import java.util.List;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * The token buckets of table {@code mf_rate}: the arithmetic of {@link TokenBucket}, done in one
 * UPDATE so that takers in any number of processes refill and take atomically, timed by the
 * database's clock (the machines' clocks may differ; the database's is the one they share).
 */
final class SharedBuckets {

  /**
   * How long a taker's rate holds against laxer takers after its last taking. Taking renews it, so
   * the strictest rate of the takers wins; a row left by an earlier run holds its old rate no
   * longer than this once the new run takes.
   */
  static final double VOTE_SECONDS = 10;

  // A stricter rate asked for recently stays; otherwise this taker's rate becomes the bucket's.
  private static final String KEEP = "(rate_until > clock_timestamp() AND per_second < ?)";
  private static final String RATE = "(CASE WHEN " + KEEP + " THEN per_second ELSE ? END)";
  private static final String TAKE =
      "UPDATE mf_rate SET "
          // Earned since the last refill at the rate of then, capped at the burst; then taken.
          + "tokens = least(greatest(1, "
          + RATE
          + " * ?), "
          + "  tokens + greatest(0, extract(epoch FROM clock_timestamp() - refilled_at)::float8) * per_second) - ?, "
          + "refilled_at = greatest(refilled_at, clock_timestamp()), "
          + "rate_until = CASE WHEN "
          + KEEP
          + " THEN rate_until ELSE clock_timestamp() + make_interval(secs => ?) END, "
          + "per_second = "
          + RATE
          + " "
          + "WHERE rate_key = ? RETURNING tokens, per_second";

  private final JdbcTemplate jdbc;

  /**
   * Each taking commits at once, outside the transaction of the chunk it is taken for: a row locked
   * until a chunk commits would hold every other process's takers for that long, and a taker of
   * this process waiting for it while holding {@link SharedRate}'s lock would never let the chunk
   * finish. The job store's connections, but not the one bound to the thread's transaction: Spring
   * finds that one by the DataSource object, which this wrapper is not.
   */
  SharedBuckets(JdbcTemplate jobStore) {
    this.jdbc = new JdbcTemplate(new DelegatingDataSource(jobStore.getDataSource()));
  }

  /**
   * Refills the bucket of {@code key} and takes {@code n} tokens from it.
   *
   * @param perSecond this taker's rate
   * @param burstSeconds how many seconds of the rate the bucket holds at most (at least 1 token)
   * @return how long the taker must wait before spending them, in nanoseconds: the bucket's debt
   */
  long take(String key, double perSecond, double burstSeconds, double n) {
    try {
      return tryTake(key, perSecond, burstSeconds, n);
    } catch (DataAccessException e) {
      // As when the job store goes away at a commit: the run stops, to be resumed.
      throw new MailferryException.Temporary(
          "The job store could not be reached for the shared rate "
              + key
              + ": "
              + e.getMostSpecificCause().getMessage()
              + ".",
          e);
    }
  }

  private long tryTake(String key, double perSecond, double burstSeconds, double n) {
    double vote = Math.max(VOTE_SECONDS, 2 / perSecond);
    for (int attempt = 0; ; attempt++) {
      List<double[]> after =
          jdbc.query(
              TAKE,
              (rs, i) -> new double[] {rs.getDouble(1), rs.getDouble(2)},
              perSecond,
              perSecond,
              burstSeconds,
              n,
              perSecond,
              vote,
              perSecond,
              perSecond,
              key);
      if (!after.isEmpty()) {
        double tokens = after.get(0)[0];
        return tokens >= 0 ? 0 : (long) (-tokens / after.get(0)[1] * 1e9);
      }
      if (attempt > 0) {
        throw new IllegalStateException("the shared rate " + key + " could not be created");
      }
      // The first taking ever of this key: a full bucket, then the UPDATE again.
      jdbc.update(
          "INSERT INTO mf_rate (rate_key, per_second, rate_until, tokens, refilled_at) "
              + "VALUES (?, ?, clock_timestamp(), greatest(1, ? * ?), clock_timestamp()) ON CONFLICT DO NOTHING",
          key,
          perSecond,
          perSecond,
          burstSeconds);
    }
  }

  /** Rows nobody took from for a day: accounts long migrated. */
  void forgetIdle() {
    jdbc.update("DELETE FROM mf_rate WHERE refilled_at < clock_timestamp() - interval '1 day'");
  }
}

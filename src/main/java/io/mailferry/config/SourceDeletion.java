package io.mailferry.config;

import java.time.Duration;
import java.time.Instant;

/**
 * Which copied messages a POP3 source loses once their copies are safe: none (the default, "leave
 * on server"), all of them (--delete-after-copy), or those older than some days at the source
 * (--delete-older-than). Only messages the ledger holds, committed, are ever candidates.
 *
 * @param olderThanDays 0 for any age
 */
public record SourceDeletion(boolean enabled, int olderThanDays) {

  public static final SourceDeletion NONE = new SourceDeletion(false, 0);

  public static SourceDeletion afterCopy() {
    return new SourceDeletion(true, 0);
  }

  public static SourceDeletion olderThan(int days) {
    return new SourceDeletion(true, days);
  }

  /** Whether a copied message dated {@code date} at the source is deleted now. */
  public boolean deletes(Instant date, Instant now) {
    return enabled
        && (olderThanDays == 0 || date.isBefore(now.minus(Duration.ofDays(olderThanDays))));
  }

  /** As stored in job parameters: "keep", "after-copy" or "older-than:N". */
  @Override
  public String toString() {
    return !enabled ? "keep" : olderThanDays == 0 ? "after-copy" : "older-than:" + olderThanDays;
  }

  public static SourceDeletion parse(String s) {
    if (s == null || s.equals("keep")) {
      return NONE;
    }
    return s.equals("after-copy")
        ? afterCopy()
        : olderThan(Integer.parseInt(s.substring("older-than:".length())));
  }
}

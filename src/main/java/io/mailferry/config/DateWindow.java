package io.mailferry.config;

import io.mailferry.mail.MailferryException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * restore's --since / --before: which messages to take by INTERNALDATE, as UTC dates. Since is
 * inclusive (from its midnight on), before exclusive (up to its midnight), as IMAP SEARCH reads
 * them. Either may be null: no bound.
 */
public record DateWindow(LocalDate since, LocalDate before) {

  public static final DateWindow ALL = new DateWindow(null, null);

  public boolean contains(Instant date) {
    return (since == null || !date.isBefore(since.atStartOfDay(ZoneOffset.UTC).toInstant()))
        && (before == null || date.isBefore(before.atStartOfDay(ZoneOffset.UTC).toInstant()));
  }

  /** Parses the user's YYYY-MM-DD (null stays null); {@code option} names it in the error. */
  public static LocalDate date(String value, String option) {
    if (value == null) {
      return null;
    }
    try {
      return LocalDate.parse(value);
    } catch (DateTimeParseException e) {
      throw new MailferryException.BadUsage(
          option + " takes a date like 2024-03-01, not '" + value + "'.");
    }
  }

  /** "SINCE/BEFORE" with empty parts for no bound: the job parameter form. */
  @Override
  public String toString() {
    return (since == null ? "" : since.toString())
        + "/"
        + (before == null ? "" : before.toString());
  }

  public static DateWindow parse(String s) {
    if (s == null || s.isEmpty()) {
      return ALL;
    }
    int slash = s.indexOf('/');
    String a = s.substring(0, slash);
    String b = s.substring(slash + 1);
    return new DateWindow(
        a.isEmpty() ? null : LocalDate.parse(a), b.isEmpty() ? null : LocalDate.parse(b));
  }
}

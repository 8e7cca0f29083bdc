package io.mailferry.jobfile;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.springframework.scheduling.support.CronExpression;

/**
 * When a job runs: a cron expression (six fields, seconds first, as Spring reads them; a five-field
 * crontab line gets second 0) in a time zone (the system's when none is given).
 */
public record Schedule(String cron, ZoneId zone, CronExpression expression) {

  /**
   * @throws IllegalArgumentException with a sentence for the user
   */
  static Schedule parse(String cron, String zone) {
    String fields = cron.trim();
    String sixFields = fields.split("\\s+").length == 5 ? "0 " + fields : fields;
    CronExpression expression;
    try {
      expression = CronExpression.parse(sixFields);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "'"
              + cron
              + "' is not a cron expression (second minute hour day month"
              + " weekday, e.g. \"0 15 2 * * *\"): "
              + e.getMessage());
    }
    ZoneId zoneId;
    try {
      zoneId = zone == null ? ZoneId.systemDefault() : ZoneId.of(zone);
    } catch (java.time.DateTimeException e) {
      throw new IllegalArgumentException(
          "zone: '" + zone + "' is not a time zone (e.g. Europe/Berlin, UTC).");
    }
    return new Schedule(sixFields, zoneId, expression);
  }

  /** The first time strictly after {@code after}, or null if the expression never fires again. */
  public ZonedDateTime next(Instant after) {
    return expression.next(after.atZone(zone));
  }

  @Override
  public String toString() {
    return "\"" + cron + "\" " + zone;
  }
}

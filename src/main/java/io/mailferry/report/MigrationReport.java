package io.mailferry.report;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.mailferry.quota.QuotaForecast;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The end of a run, for people (the summary) and machines (the JSON report in the state directory,
 * --report FILE). Names accounts as user@host only, never a secret. The totals are written to the
 * JSON too. The JSON's schema is report.schema.json (mailferry report --schema).
 *
 * @param jobName the job file's name for a run started from a job file, else null
 * @param exitCode the run's exit code, once known (null while it runs, or read from the job store)
 * @param reason the one-line reason of a run that did not exit 0, else null
 * @param quota the destination's quota before writing, or null (--quota-policy ignore)
 * @param quotaLeft when the destination was full: what is left to write and the quota then; else
 *     null
 */
public record MigrationReport(
    String from,
    String to,
    String jobName,
    long jobExecutionId,
    String status,
    Integer exitCode,
    String reason,
    Instant started,
    Instant ended,
    List<FolderTally> folders,
    int peakSourceConnections,
    int peakDestinationConnections,
    QuotaForecast quota,
    QuotaForecast quotaLeft) {

  /** Raised when a field changes meaning or is removed; adding a field keeps it. */
  public static final int SCHEMA_VERSION = 1;

  /** This report with the run's exit code and, unless it is 0, the one-line reason. */
  public MigrationReport withOutcome(int code, String why) {
    return new MigrationReport(
        from,
        to,
        jobName,
        jobExecutionId,
        status,
        code,
        why,
        started,
        ended,
        folders,
        peakSourceConnections,
        peakDestinationConnections,
        quota,
        quotaLeft);
  }

  @JsonProperty
  public int schemaVersion() {
    return SCHEMA_VERSION;
  }

  @JsonProperty
  public long atSource() {
    return folders.stream().mapToLong(f -> f.atSource).sum();
  }

  @JsonProperty
  public long bytesAtSource() {
    return folders.stream().mapToLong(f -> f.bytesAtSource).sum();
  }

  @JsonProperty
  public long copied() {
    return folders.stream().mapToLong(f -> f.copied).sum();
  }

  @JsonProperty
  public long alreadyThere() {
    return folders.stream().mapToLong(f -> f.alreadyThere).sum();
  }

  @JsonProperty
  public long skipped() {
    return folders.stream().mapToLong(FolderTally::totalSkipped).sum();
  }

  @JsonProperty
  public long failed() {
    return folders.stream().mapToLong(f -> f.failedCount).sum();
  }

  /** Folders that failed as a whole (not created, not readable): a run with one does not exit 0. */
  @JsonProperty
  public long failedFolders() {
    return folders.stream().filter(f -> f.folderFailure != null).count();
  }

  @JsonProperty
  public long warnings() {
    return folders.stream().mapToLong(FolderTally::totalWarnings).sum();
  }

  @JsonProperty
  public long bytesCopied() {
    return folders.stream().mapToLong(f -> f.bytesCopied).sum();
  }

  @JsonProperty
  public double elapsedSeconds() {
    return seconds(started, ended);
  }

  @JsonProperty
  public double messagesPerSecond() {
    double s = elapsedSeconds();
    return s <= 0 ? 0 : copied() / s;
  }

  /** The quota lines as printed before writing (empty without a quota look-up). */
  @JsonProperty
  public List<String> quotaLines() {
    return quota == null ? List.of() : quota.lines();
  }

  /** The quota lines when the destination was full (empty otherwise). */
  @JsonProperty
  public List<String> quotaLeftLines() {
    return quotaLeft == null ? List.of() : quotaLeft.lines();
  }

  public static double seconds(Instant from, Instant to) {
    if (from == null || to == null) {
      return 0;
    }
    return Duration.between(from, to).toMillis() / 1000.0;
  }
}

package io.mailferry.report;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The end of a run, for people (the summary) and machines (--report FILE, JSON). Names accounts
 * as user@host only. The totals are written to the JSON too.
 *
 * @param quota the destination's quota before writing, or null (--quota-policy ignore)
 * @param quotaLeft when the destination was full: what is left to write and the quota then; else null
 */
public record MigrationReport(
    String from,
    String to,
    long jobExecutionId,
    String status,
    Instant started,
    Instant ended,
    List<FolderTally> folders,
    int peakSourceConnections,
    int peakDestinationConnections,
    QuotaForecast quota,
    QuotaForecast quotaLeft) {

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

  @JsonProperty
  public long bytesCopied() {
    return folders.stream().mapToLong(f -> f.bytesCopied).sum();
  }

  @JsonProperty
  public double elapsedSeconds() {
    if (started == null || ended == null) {
      return 0;
    }
    return Duration.between(started, ended).toMillis() / 1000.0;
  }

  @JsonProperty
  public double messagesPerSecond() {
    double s = elapsedSeconds();
    return s <= 0 ? 0 : copied() / s;
  }
}

package io.mailferry.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What happened to one folder: the counts the summary prints. Mutable; one partition owns it, and
 * it is saved in the partition's checkpoint so a restart keeps counting.
 */
public final class FolderTally {

  public static final int MAX_LISTED_FAILURES = 1000;

  public String sourceFolder;
  public String destFolder;
  public long atSource;
  public long bytesAtSource;
  public long copied;
  public long bytesCopied;
  public long alreadyThere;
  public Map<String, Long> skipped = new TreeMap<>();
  public long failedCount;
  public List<Failure> failed = new ArrayList<>();
  public Map<String, Long> warnings = new TreeMap<>();

  // What a re-run changed of earlier copies (issue 19); counted in alreadyThere too.
  /** Earlier copies whose flags took the source's changes. */
  public long flagsUpdated;

  /** Earlier copies whose flags were changed at the destination too, and kept so in the merge. */
  public long flagsKept;

  /** Earlier copies moved into this folder at the destination, as at the source (--mirror). */
  public long moved;

  /** Earlier copies expunged at the destination, gone from the source (--mirror). */
  public long expunged;

  /**
   * Messages that appear to have been moved here at the source, copied again because --mirror was
   * not given (the old copy stays where it was).
   */
  public long movesSeen;

  /**
   * Why --mirror left this folder's destination as it was (the guard: it would have expunged too
   * large a share); null when it did not.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public String mirrorHeld;

  /**
   * Why the whole folder failed (it could not be created at the destination, or the source refused
   * to open it), with the server's words; null when it did not. Its messages were not copied.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public String folderFailure;

  // Set only in a report, from the folder's step; kept out of the checkpoint (null there).
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public String state;

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public Instant started;

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public Instant ended;

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public Double elapsedSeconds;

  public record Failure(long uid, String reason) {}

  public FolderTally() {}

  public FolderTally(String sourceFolder, String destFolder) {
    this.sourceFolder = sourceFolder;
    this.destFolder = destFolder;
  }

  /** A deep copy, to roll the counts back when a chunk is retried. */
  public FolderTally copy() {
    FolderTally c = new FolderTally(sourceFolder, destFolder);
    c.atSource = atSource;
    c.bytesAtSource = bytesAtSource;
    c.copied = copied;
    c.bytesCopied = bytesCopied;
    c.alreadyThere = alreadyThere;
    c.skipped = new TreeMap<>(skipped);
    c.failedCount = failedCount;
    c.failed = new ArrayList<>(failed);
    c.warnings = new TreeMap<>(warnings);
    c.folderFailure = folderFailure;
    c.flagsUpdated = flagsUpdated;
    c.flagsKept = flagsKept;
    c.moved = moved;
    c.expunged = expunged;
    c.movesSeen = movesSeen;
    c.mirrorHeld = mirrorHeld;
    return c;
  }

  public void skip(String reason) {
    skipped.merge(reason, 1L, Long::sum);
  }

  /** Takes one skip back (a message left for the next run after all). */
  public void unskip(String reason) {
    skipped.computeIfPresent(reason, (r, n) -> n > 1 ? n - 1 : null);
  }

  public void warn(String warning) {
    warnings.merge(warning, 1L, Long::sum);
  }

  public void fail(long uid, String reason) {
    failedCount++;
    if (failed.size() < MAX_LISTED_FAILURES) {
      failed.add(new Failure(uid, reason));
    }
  }

  public long totalWarnings() {
    return warnings.values().stream().mapToLong(Long::longValue).sum();
  }

  public long totalSkipped() {
    return skipped.values().stream().mapToLong(Long::longValue).sum();
  }
}

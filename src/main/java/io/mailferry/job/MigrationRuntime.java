package io.mailferry.job;

import io.mailferry.config.Credentials;
import io.mailferry.config.MigrationSettings;
import io.mailferry.ledger.Ledger;
import io.mailferry.mail.FolderInfo;
import io.mailferry.mail.FolderStatus;
import io.mailferry.mail.MailferryException;
import io.mailferry.scheme.Scheme;
import io.mailferry.scheme.Schemes;
import io.mailferry.scheme.ThrottleLimits;
import io.mailferry.sink.MailSink;
import io.mailferry.source.MailSource;
import io.mailferry.throttle.MessagePace;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The live side of one migration: settings, the source and sink with their connection pools, and
 * the ledger. One per job execution; closed when the job ends.
 */
public class MigrationRuntime implements AutoCloseable {

  private final MigrationSettings settings;
  private final MailSource source;
  private final MailSink sink;
  private final Ledger ledger;
  private final java.util.concurrent.atomic.AtomicLong failures =
      new java.util.concurrent.atomic.AtomicLong();
  private final Map<String, Optional<Long>> appendLimits = new ConcurrentHashMap<>();
  private final AtomicReference<MailferryException.DestinationFull> full = new AtomicReference<>();

  /** Source STATUS asked by the quota step, by source folder name, until its partition takes it. */
  private final Map<String, FolderStatus> statusBeforeCopy = new ConcurrentHashMap<>();

  private final MessagePace pace;

  public MigrationRuntime(
      MigrationSettings settings, Credentials credentials, Ledger ledger, Path spoolDir) {
    this.settings = settings;
    this.ledger = ledger;
    Scheme from = Schemes.of(settings.from());
    Scheme to = Schemes.of(settings.to());
    this.pace =
        new MessagePace(
            settings.from().account() + " to " + settings.to().account(),
            ThrottleLimits.of(settings.throttling()),
            from.throttledHost(settings.from()),
            to.throttledHost(settings.to()));
    this.source = from.openSource(settings, credentials, spoolDir);
    this.sink = to.openSink(settings, credentials);
  }

  /** Waits for this message's turn under --max-messages-per-second (per account and per host). */
  public void paceMessage() {
    pace.next();
  }

  /**
   * Whether messages are paced (a message rate per account or host): then they go one at a time.
   */
  public boolean messagesPaced() {
    return pace.paced();
  }

  public MigrationSettings settings() {
    return settings;
  }

  public MailSource source() {
    return source;
  }

  public MailSink sink() {
    return sink;
  }

  public Ledger ledger() {
    return ledger;
  }

  /** Counts one refused message across all folders; past --max-failures the job stops. */
  public void countFailure(String reason) {
    long n = failures.incrementAndGet();
    if (n >= settings.maxFailures()) {
      // Exit 1 like any run with failed messages; the chunk in hand rolls back, and whatever of it
      // reached the destination is matched, not sent again, by the next run.
      throw new MailferryException(
          1,
          "Stopped after "
              + n
              + " messages were refused by the "
              + "destination (--max-failures "
              + settings.maxFailures()
              + "); the last: "
              + reason,
          null);
    }
  }

  /**
   * The destination folder's APPENDLIMIT in octets, or null; asked once per folder and run. A
   * --max-message-size (or a preset's) lowers it.
   */
  public Long appendLimit(String destName) {
    Optional<Long> limit = appendLimits.get(destName);
    if (limit == null) {
      // Not computeIfAbsent: that would hold a lock of the map during a server round trip.
      limit = Optional.ofNullable(sink.appendLimit(destName));
      appendLimits.putIfAbsent(destName, limit);
    }
    long largest = settings.throttling().maxMessageSize();
    if (largest > 0) {
      return Math.min(largest, limit.orElse(Long.MAX_VALUE));
    }
    return limit.orElse(null);
  }

  /**
   * The destination refused a message for its quota: from now on no folder appends anything more.
   * The first refusal is kept; it is what the user reads.
   */
  public void destinationFull(MailferryException.DestinationFull refusal) {
    full.compareAndSet(null, refusal);
  }

  /** The refusal that filled the destination during this run, or null while there is room. */
  public MailferryException.DestinationFull destinationFull() {
    return full.get();
  }

  /**
   * Keeps a source folder's STATUS, asked before anything of this run was listed, for the folder's
   * partition: a re-run whose folders are all unchanged then asks each one STATUS once, on one
   * connection, instead of once more from every partition thread (each with its own connection).
   */
  void keepStatus(FolderInfo folder, FolderStatus status) {
    if (status != null) {
      statusBeforeCopy.put(folder.serverName(), status);
    }
  }

  /** The STATUS kept for this folder (given out once: a retried listing asks again), or null. */
  FolderStatus takeStatus(FolderInfo folder) {
    return statusBeforeCopy.remove(folder.serverName());
  }

  public String sourceAccount() {
    return settings.from().account();
  }

  public String destAccount() {
    return settings.to().account();
  }

  @Override
  public void close() {
    try {
      source.close();
      sink.close();
    } finally {
      pace.close();
    }
  }
}

package io.mailferry.job;

/**
 * Where a migration's execution stands, as the job store records it. The names are Spring Batch's,
 * so that what status prints stays the same; the commands need not know Spring Batch.
 */
public enum RunState {
  COMPLETED,
  STARTING,
  STARTED,
  STOPPING,
  STOPPED,
  FAILED,
  ABANDONED,
  UNKNOWN;

  static RunState of(org.springframework.batch.core.BatchStatus status) {
    return valueOf(status.name());
  }

  /** The job store shows it running: a process runs it, or one died while it did. */
  public boolean running() {
    return this == STARTING || this == STARTED || this == STOPPING;
  }

  /** Nothing is left to continue: it completed, or a changed option started afresh. */
  public boolean finished() {
    return this == COMPLETED || this == ABANDONED;
  }
}

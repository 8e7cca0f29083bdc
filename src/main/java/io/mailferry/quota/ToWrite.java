package io.mailferry.quota;

/**
 * What a run still has to write into one destination folder, as the quota pre-flight counts it. The
 * job's pending work (read from the source and the ledger) hands its folders over as these.
 */
public interface ToWrite {

  /** The destination folder, as the sink names it. */
  String destination();

  long messages();

  /** Their RFC822.SIZE, summed. */
  long bytes();

  /** Messages above the folder's APPENDLIMIT: skipped, so not in {@link #messages()}. */
  long tooLarge();

  long tooLargeBytes();

  /** The folder's APPENDLIMIT, or null when it has none. */
  Long appendLimit();
}

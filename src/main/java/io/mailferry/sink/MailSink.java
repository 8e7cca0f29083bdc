package io.mailferry.sink;

import io.mailferry.mail.FolderInfo;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** Where messages go. Implementations hold a capped pool of connections and are thread-safe. */
public interface MailSink extends AutoCloseable {

  /** The destination's namespace: its separator, prefix and existing folders. */
  Layout layout();

  /**
   * Creates the folder (and its parents) unless it exists, makes an existing folder that cannot
   * hold messages (listed \Noselect) a real one where the server allows, and subscribes when asked.
   *
   * @throws FolderRefused when the server refuses, with its words
   */
  void ensureFolder(String serverName, boolean subscribe);

  /**
   * The destination refused to create a folder, or keeps it unable to hold messages; the reason is
   * the server's own words. Only that folder fails: the run goes on with the others.
   */
  final class FolderRefused extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final boolean exists;

    public FolderRefused(String reason, boolean exists) {
      super(reason, null, false, false);
      this.exists = exists;
    }

    /**
     * True when the folder exists but cannot hold messages (a \Noselect parent): a fallback may.
     */
    public boolean exists() {
      return exists;
    }
  }

  /** Opens a folder for appending on a connection of its own; close it to give it back. */
  SinkFolder open(String serverName);

  /**
   * The quota roots of INBOX and of each folder (GETQUOTAROOT), keyed by folder; null when the
   * destination does not support quotas. A folder that does not exist yet gets INBOX's roots.
   */
  Map<String, List<QuotaRoot>> quotaRoots(Collection<String> folders);

  /**
   * The largest message the folder accepts, in octets (APPENDLIMIT, RFC 7889), or null: no limit
   * known.
   */
  Long appendLimit(String serverName);

  int peakConnections();

  /**
   * Whether a re-run brings the flags of messages it copied earlier up to date ({@link
   * SinkFolder#refreshFlags}): a nightly backup follows the source's flag changes. Then a source
   * folder counts as unchanged only when its HIGHESTMODSEQ is too. Asked before any folder is
   * opened, so a re-run that finds nothing to do opens none.
   */
  default boolean followsFlagChanges() {
    return false;
  }

  /**
   * Whether, after a complete listing of a source folder, the destination marks what is gone from
   * the source, or with --mirror removes it ({@link SinkFolder#sweep}). An IMAP destination never
   * loses mail this way. Asked before the destination folder is opened.
   */
  default boolean followsRemovals() {
    return false;
  }

  @Override
  void close();

  record Layout(char separator, String prefix, List<FolderInfo> folders) {}
}

package io.mailferry.config;

import io.mailferry.mail.ConnectionSettings;
import io.mailferry.mail.Endpoint;
import io.mailferry.mail.FolderPath;
import java.util.List;
import java.util.Map;

/**
 * Everything a migration needs except its secrets. Safe to store in job parameters and to print.
 *
 * @param folderMap user renames, source path → destination path, as typed ('/'-separated)
 * @param sourceDeletion what a POP3 source deletes once copied (nothing by default)
 * @param following how the destination follows the source's flag changes, expunges and moves
 * @param quota what to do with the destination's quota before writing
 * @param dates an archive source: only messages of these dates (restore --since/--before)
 * @param throttling host caps, rates and backoff; not part of the migration's identity
 */
public record MigrationSettings(
    Endpoint from,
    Endpoint to,
    ConnectionSettings fromConnection,
    ConnectionSettings toConnection,
    List<String> includes,
    List<String> excludes,
    Map<FolderPath, FolderPath> folderMap,
    boolean includeDeleted,
    int maxConnections,
    long maxFailures,
    SourceDeletion sourceDeletion,
    QuotaPolicy quota,
    Following following,
    DateWindow dates,
    Throttling throttling) {

  public static final int DEFAULT_MAX_CONNECTIONS = 5;

  /** A destination that refuses this many messages refuses everything: stop asking. */
  public static final long DEFAULT_MAX_FAILURES = 100;

  public MigrationSettings {
    includes = List.copyOf(includes);
    excludes = List.copyOf(excludes);
    folderMap = Map.copyOf(folderMap);
    throttling = throttling == null ? Throttling.defaults() : throttling;
  }

  /** The same migration with other connection caps and rates (a re-run may change them). */
  public MigrationSettings withThrottling(int maxConnections, Throttling throttling) {
    return new MigrationSettings(
        from,
        to,
        fromConnection,
        toConnection,
        includes,
        excludes,
        folderMap,
        includeDeleted,
        maxConnections,
        maxFailures,
        sourceDeletion,
        quota,
        following,
        dates,
        throttling);
  }

  /** --mirror: expunges and moves at the source are followed at the destination. */
  public boolean mirror() {
    return following.mirror();
  }

  public FolderMapper folderMapper() {
    return new FolderMapper(new FolderSelection(includes, excludes), folderMap);
  }
}

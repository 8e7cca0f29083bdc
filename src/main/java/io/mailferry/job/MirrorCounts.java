package io.mailferry.job;

import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the --mirror pass did to one source folder's copies, kept in the job's context so that the
 * folder's step puts it in its tally (and so in the summary and the report).
 */
final class MirrorCounts {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** Copies moved into this folder's destination, as they moved at the source. */
  public long moved;

  /** Copies expunged at the destination, gone from this folder at the source. */
  public long expunged;

  /** Why the guard left this folder's destination as it was; null when it did not. */
  public String held;

  static String toJson(Map<String, MirrorCounts> byLedgerKey) {
    return JSON.writeValueAsString(byLedgerKey);
  }

  static Map<String, MirrorCounts> fromJson(String json) {
    if (json == null) {
      return Map.of();
    }
    return JSON.readValue(json, new TypeReference<LinkedHashMap<String, MirrorCounts>>() {});
  }
}

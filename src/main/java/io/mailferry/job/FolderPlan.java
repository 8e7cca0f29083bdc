package io.mailferry.job;

import io.mailferry.config.FolderCollisions;
import io.mailferry.config.FolderMapper;
import io.mailferry.mail.FolderInfo;
import io.mailferry.mail.FolderPath;
import java.util.List;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * One source folder and where it goes, as the plan step saved it in the job's context, so a restart
 * copies into the same folders even if the servers list them differently by then.
 *
 * @param note a warning the plan step gave this folder (merged with another, or renamed), or null
 * @param refusal why this folder is not copied at all: the plan found it collides, or the
 *     destination refused to create it (the server's words); it then fails alone, named
 * @param fallbackFrom the mapped destination folder when it cannot hold messages (\Noselect) and
 *     {@code destName} is the fallback beside it that takes them; else null
 */
public record FolderPlan(
    String sourceName,
    List<String> sourcePath,
    String specialUse,
    boolean subscribed,
    boolean selectable,
    String destName,
    List<String> destPath,
    String note,
    String refusal,
    String fallbackFrom) {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  static FolderPlan of(FolderCollisions.Resolved resolved) {
    FolderMapper.Mapping m = resolved.mapping();
    FolderInfo s = m.source();
    return new FolderPlan(
        s.serverName(),
        s.path().segments(),
        s.specialUse(),
        s.subscribed(),
        s.selectable(),
        m.destName(),
        m.destPath().segments(),
        resolved.note(),
        resolved.refusal(),
        null);
  }

  /**
   * The source folder in the ledger: the server's own name, prefix and separator included, so "a.b"
   * and a folder named "a/b" on a '.'-separated server are two folders (issue 16.2). Rows written
   * before were keyed by {@link #sourceLabel()}; LedgerKeys moves them over.
   */
  public String ledgerKey() {
    return sourceName;
  }

  /** This folder, failed alone: the destination refused to create it. */
  FolderPlan refused(String words) {
    return new FolderPlan(
        sourceName,
        sourcePath,
        specialUse,
        subscribed,
        selectable,
        destName,
        destPath,
        note,
        "the destination refused to create folder " + destLabel() + ": " + words,
        fallbackFrom);
  }

  /**
   * This folder's messages go to {@code name} instead, beside the destination folder that cannot
   * hold them.
   */
  FolderPlan fallback(String name, List<String> path) {
    return new FolderPlan(
        sourceName,
        sourcePath,
        specialUse,
        subscribed,
        selectable,
        name,
        path,
        note,
        null,
        destLabel());
  }

  public FolderInfo source() {
    return new FolderInfo(
        new FolderPath(sourcePath), sourceName, specialUse, subscribed, selectable);
  }

  public String sourceLabel() {
    return String.join("/", sourcePath);
  }

  public String destLabel() {
    return String.join("/", destPath);
  }

  static String toJson(List<FolderPlan> plans) {
    return JSON.writeValueAsString(plans);
  }

  static List<FolderPlan> listFromJson(String json) {
    return JSON.readValue(json, new TypeReference<List<FolderPlan>>() {});
  }
}

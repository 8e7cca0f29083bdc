package io.mailferry.job;

import io.mailferry.config.FolderMapper;
import io.mailferry.mail.FolderInfo;
import io.mailferry.mail.FolderPath;
import java.util.List;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * One source folder and where it goes, as the plan step saved it in the job's context, so a
 * restart copies into the same folders even if the servers list them differently by then.
 *
 * @param refusal why the destination folder could not be created (the server's words): the
 *     folder then fails alone; null when it exists
 * @param fallbackFrom the mapped destination folder when it cannot hold messages (\Noselect) and
 *     {@code destName} is the fallback beside it that takes them; else null
 */
public record FolderPlan(
    String sourceName, List<String> sourcePath, String specialUse, boolean subscribed, boolean selectable,
    String destName, List<String> destPath, String refusal, String fallbackFrom) {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  static FolderPlan of(FolderMapper.Mapping m) {
    FolderInfo s = m.source();
    return new FolderPlan(s.serverName(), s.path().segments(), s.specialUse(), s.subscribed(), s.selectable(),
        m.destName(), m.destPath().segments(), null, null);
  }

  /** This folder, failed alone: the destination refused to create it. */
  FolderPlan refused(String reason) {
    return new FolderPlan(sourceName, sourcePath, specialUse, subscribed, selectable, destName, destPath, reason,
        fallbackFrom);
  }

  /** This folder's messages go to {@code name} instead, beside the destination folder that cannot hold them. */
  FolderPlan fallback(String name, List<String> path) {
    return new FolderPlan(sourceName, sourcePath, specialUse, subscribed, selectable, name, path, null, destLabel());
  }

  public FolderInfo source() {
    return new FolderInfo(new FolderPath(sourcePath), sourceName, specialUse, subscribed, selectable);
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

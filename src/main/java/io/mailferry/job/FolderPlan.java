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
 */
public record FolderPlan(
    String sourceName, List<String> sourcePath, String specialUse, boolean subscribed, boolean selectable,
    String destName, List<String> destPath) {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  static FolderPlan of(FolderMapper.Mapping m) {
    FolderInfo s = m.source();
    return new FolderPlan(s.serverName(), s.path().segments(), s.specialUse(), s.subscribed(), s.selectable(),
        m.destName(), m.destPath().segments());
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

package io.mailferry.config;

import io.mailferry.mail.FolderInfo;
import io.mailferry.mail.FolderPath;
import io.mailferry.mail.ImapNamespace;
import io.mailferry.mail.MailferryException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides where each selected source folder goes: the user's --folder-map first, then special-use
 * folders onto the destination's own (sub-folders following), then the same path. The destination
 * name gets the destination's prefix and separator.
 */
public final class FolderMapper {

  private final FolderSelection selection;
  private final Map<FolderPath, FolderPath> userMap;

  public FolderMapper(FolderSelection selection, Map<FolderPath, FolderPath> userMap) {
    this.selection = selection;
    this.userMap = new LinkedHashMap<>(userMap);
  }

  /**
   * @param shareable why this folder may share its destination folder with another source folder on
   *     purpose: its special use ("\\Sent") when it went to the destination's folder of that use,
   *     "--folder-map" when the user named its destination; null otherwise (see FolderCollisions)
   */
  public record Mapping(
      FolderInfo source, FolderPath destPath, String destName, String shareable) {}

  public List<Mapping> map(List<FolderInfo> sourceFolders, ImapNamespace destination) {
    checkUserMapNamesFolders(sourceFolders);
    Map<FolderPath, FolderPath> specialRoots = specialRoots(sourceFolders, destination);
    List<Mapping> out = new ArrayList<>();
    for (FolderInfo folder : sourceFolders) {
      if (!selection.selects(folder.path())) {
        continue;
      }
      String shareable = null;
      FolderPath dest = rebase(folder.path(), userMap);
      if (dest != null) {
        shareable = userMap.containsKey(folder.path()) ? "--folder-map" : null;
      } else {
        dest = rebase(folder.path(), specialRoots);
        shareable =
            dest != null && specialRoots.containsKey(folder.path()) ? SpecialUse.of(folder) : null;
      }
      if (dest == null) {
        dest = folder.path();
      }
      dest = safeSegments(dest, destination.separator());
      out.add(new Mapping(folder, dest, destination.serverName(dest), shareable));
    }
    return out;
  }

  /** Source special-use folder path → the destination folder with that use. */
  private static Map<FolderPath, FolderPath> specialRoots(
      List<FolderInfo> source, ImapNamespace destination) {
    Map<String, FolderPath> destByUse = new HashMap<>();
    for (FolderInfo d : destination.folders()) {
      String use = SpecialUse.of(d);
      // The attribute wins over a name match; the first name match wins over later ones.
      if (use != null && (d.specialUse() != null || !destByUse.containsKey(use))) {
        destByUse.put(use, d.path());
      }
    }
    Map<FolderPath, FolderPath> roots = new HashMap<>();
    for (FolderInfo s : source) {
      String use = SpecialUse.of(s);
      if (use != null) {
        roots.put(s.path(), destByUse.getOrDefault(use, SpecialUse.canonicalPath(use)));
      }
    }
    return roots;
  }

  /** Rebases a path under the longest matching root in the map, or returns null. */
  private static FolderPath rebase(FolderPath path, Map<FolderPath, FolderPath> roots) {
    FolderPath best = null;
    for (FolderPath root : roots.keySet()) {
      if (path.startsWith(root)
          && (best == null || root.segments().size() > best.segments().size())) {
        best = root;
      }
    }
    return best == null ? null : path.rebase(best.segments().size(), roots.get(best));
  }

  /** A '.' inside a name would split it into two levels on a '.'-separated server: use '_'. */
  private static FolderPath safeSegments(FolderPath path, char separator) {
    List<String> parts = new ArrayList<>();
    for (String s : path.segments()) {
      parts.add(separator == '\0' ? s : s.replace(separator, '_'));
    }
    return new FolderPath(parts);
  }

  private void checkUserMapNamesFolders(List<FolderInfo> sourceFolders) {
    for (FolderPath from : userMap.keySet()) {
      boolean found = sourceFolders.stream().anyMatch(f -> f.path().startsWith(from));
      if (!found) {
        throw new MailferryException.BadConfiguration(
            "--folder-map '"
                + from
                + "="
                + userMap.get(from)
                + "' names no source folder '"
                + from
                + "'.");
      }
    }
  }
}

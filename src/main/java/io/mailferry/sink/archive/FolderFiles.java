package io.mailferry.sink.archive;

import io.mailferry.archive.ArchiveLayout;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The message files of one archive folder by base name, shared by every partition that writes to
 * that folder: two source folders merged into one archive folder (issue 16.1) are copied at once,
 * and a base name one of them takes must be taken for the other too, or both would record the same
 * manifest entry. Thread-safe.
 */
final class FolderFiles {

  private final Map<String, Path> byBase;

  FolderFiles(Path folderDir) {
    this.byBase = new HashMap<>(ArchiveLayout.filesByBase(folderDir));
  }

  synchronized Path get(String base) {
    return byBase.get(base);
  }

  synchronized boolean contains(String base) {
    return byBase.containsKey(base);
  }

  /** Takes a base name for a file about to be written; false when it is someone's already. */
  synchronized boolean claim(String base, Path file) {
    return byBase.putIfAbsent(base, file) == null;
  }

  synchronized void put(String base, Path file) {
    byBase.put(base, file);
  }

  synchronized Path remove(String base) {
    return byBase.remove(base);
  }
}

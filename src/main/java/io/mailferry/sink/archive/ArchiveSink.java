package io.mailferry.sink.archive;

import io.mailferry.archive.ArchiveLayout;
import io.mailferry.archive.Manifest;
import io.mailferry.mail.FolderInfo;
import io.mailferry.mail.FolderPath;
import io.mailferry.mail.MailferryException;
import io.mailferry.sink.MailSink;
import io.mailferry.sink.QuotaRoot;
import io.mailferry.sink.SinkFolder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A local archive as a destination (see {@link ArchiveLayout}): folders are directories, each
 * message a file, the manifest beside them. Its "quota" is the free space of the file system that
 * holds it. Thread-safe: folders are written by several partitions at once.
 */
public final class ArchiveSink implements MailSink {

  private final ArchiveLayout layout;
  private final Manifest manifest;

  /** One per folder directory, shared by the partitions writing to it (see FolderDirectory). */
  private final Map<Path, FolderDirectory> directories = new ConcurrentHashMap<>();

  public ArchiveSink(Path dir) {
    this.layout = new ArchiveLayout(dir);
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new MailferryException.BadConfiguration(
          "The archive " + dir + " is a file, not a directory.");
    }
    try {
      ArchiveLayout.createPrivateDirectories(dir);
      layout.ensureFolder(FolderPath.INBOX);
    } catch (UncheckedIOException e) {
      throw new MailferryException.BadConfiguration(
          "Cannot create the archive " + dir + ": " + e.getCause().getMessage() + ".", e);
    }
    this.manifest = Manifest.open(layout);
  }

  @Override
  public Layout layout() {
    List<FolderInfo> folders =
        layout.folders().stream()
            .map(p -> new FolderInfo(p, String.join("/", p.segments()), null, true, true))
            .toList();
    return new Layout('/', "", folders);
  }

  @Override
  public void ensureFolder(String serverName, boolean subscribe) {
    layout.ensureFolder(FolderPath.parse(serverName));
  }

  @Override
  public SinkFolder open(String serverName) {
    FolderPath path =
        serverName.equalsIgnoreCase("INBOX") ? FolderPath.INBOX : FolderPath.parse(serverName);
    Path dir = layout.ensureFolder(path);
    return new ArchiveSinkFolder(
        path, dir, manifest, directories.computeIfAbsent(dir, FolderDirectory::new));
  }

  /** One root, the file system: STORAGE in KiB, used and total. */
  @Override
  public Map<String, List<QuotaRoot>> quotaRoots(Collection<String> folders) {
    try {
      FileStore store = Files.getFileStore(layout.root());
      long total = store.getTotalSpace() / 1024;
      long free = store.getUsableSpace() / 1024;
      QuotaRoot disk =
          new QuotaRoot(
              "disk " + layout.root(),
              Map.of(QuotaRoot.STORAGE, new QuotaRoot.Usage(total - free, total)));
      Map<String, List<QuotaRoot>> roots = new LinkedHashMap<>();
      for (String folder : folders) {
        roots.put(folder, List.of(disk));
      }
      return roots;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public Long appendLimit(String serverName) {
    return null;
  }

  @Override
  public int peakConnections() {
    return 0;
  }

  /** A nightly backup follows the source's flag changes: the flags are in each file's name. */
  @Override
  public boolean followsFlagChanges() {
    return true;
  }

  /** Its manifest records what each source folder held; a listing marks (or mirrors) what left. */
  @Override
  public boolean followsRemovals() {
    return true;
  }

  /**
   * Rewrites the manifest with one line per message; its file is closed even when that fails (a
   * full disk).
   */
  @Override
  public void close() {
    try {
      manifest.compact();
    } finally {
      manifest.close();
    }
  }
}

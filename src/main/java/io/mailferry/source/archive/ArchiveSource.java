package io.mailferry.source.archive;

import io.mailferry.archive.ArchiveCheck;
import io.mailferry.archive.ArchiveLayout;
import io.mailferry.archive.ArchiveProblem;
import io.mailferry.archive.Manifest;
import io.mailferry.config.DateWindow;
import io.mailferry.mail.FolderInfo;
import io.mailferry.mail.FolderPath;
import io.mailferry.source.MailSource;
import io.mailferry.source.SourceFolder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A mailferry archive (see {@link ArchiveLayout}) read as a source, so that restore is the migrate
 * job with this on the reading side. No connections: files are read directly, any number of folders
 * at once. The manifest gives each message its INTERNALDATE and Message-ID; a file it does not list
 * is still restored, dated by its mtime. An archive may come from someone else: only its regular
 * files are read, never through a link, and what is skipped is a failure (a file or folder not
 * restored) or a warning (a manifest or keyword line) of the folder holding it.
 */
public final class ArchiveSource implements MailSource {

  private final ArchiveLayout layout;
  private final DateWindow dates;
  private final Path spoolDir;
  private final long maxMessageSize;
  private Read read;

  /**
   * @param maxMessageSize --max-message-size, or 0 when not set (see {@link
   *     ArchiveSourceFolder#LARGEST})
   */
  public ArchiveSource(ArchiveLayout layout, DateWindow dates, Path spoolDir, long maxMessageSize) {
    this.layout = layout;
    this.dates = dates;
    this.spoolDir = spoolDir;
    this.maxMessageSize = maxMessageSize;
  }

  @Override
  public List<FolderInfo> listFolders() {
    ArchiveCheck.open(layout.root());
    List<FolderInfo> out = new ArrayList<>();
    for (FolderPath path : read().scan().folders()) {
      out.add(new FolderInfo(path, path.toString(), null, true, true));
    }
    return out;
  }

  @Override
  public SourceFolder open(FolderInfo folder) {
    Read read = read();
    return new ArchiveSourceFolder(
        layout,
        folder.path(),
        read.manifest().records(),
        read.problemsOf().getOrDefault(folder.path(), List.of()),
        dates,
        spoolDir,
        maxMessageSize);
  }

  /**
   * The archive as read once per run: its folders, its manifest, and what was skipped, by folder.
   */
  private record Read(
      ArchiveLayout.Scan scan,
      Manifest.Loaded manifest,
      Map<FolderPath, List<ArchiveProblem>> problemsOf) {}

  private synchronized Read read() {
    if (read == null) {
      ArchiveLayout.Scan scan = layout.scan();
      Manifest.Loaded manifest = Manifest.load(layout.manifest());
      Map<FolderPath, List<ArchiveProblem>> byFolder = new HashMap<>();
      List<ArchiveProblem> problems = new ArrayList<>(manifest.problems());
      problems.addAll(scan.problems());
      for (ArchiveProblem p : problems) {
        FolderPath owner = owner(scan.folders(), p.where());
        if (owner != null) {
          byFolder.computeIfAbsent(owner, f -> new ArrayList<>()).add(p);
        }
      }
      read = new Read(scan, manifest, byFolder);
    }
    return read;
  }

  /**
   * The folder whose listing reports a problem outside any folder's own files (a skipped directory,
   * a manifest line): the nearest folder above it, INBOX for the archive's top, else the first
   * folder. Reported there, it is a failure or warning of the run, not lost in a log.
   */
  private FolderPath owner(List<FolderPath> folders, String where) {
    Path at = layout.root().resolve(where).normalize().getParent();
    for (; at != null && at.startsWith(layout.root()); at = at.getParent()) {
      for (FolderPath f : folders) {
        if (layout.folderDir(f).equals(at)) {
          return f;
        }
      }
    }
    return folders.isEmpty() ? null : folders.get(0);
  }

  @Override
  public int peakConnections() {
    return 0;
  }

  @Override
  public void close() {
    // nothing held open
  }
}

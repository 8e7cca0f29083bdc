package io.mailferry.source.archive;

import io.mailferry.archive.ArchiveCheck;
import io.mailferry.archive.ArchiveLayout;
import io.mailferry.archive.Manifest;
import io.mailferry.archive.ManifestRecord;
import io.mailferry.config.DateWindow;
import io.mailferry.mail.FolderInfo;
import io.mailferry.mail.FolderPath;
import io.mailferry.source.MailSource;
import io.mailferry.source.SourceFolder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A mailferry archive (see {@link ArchiveLayout}) read as a source, so that restore is the
 * migrate job with this on the reading side. No connections: files are read directly, any number
 * of folders at once. The manifest gives each message its INTERNALDATE and Message-ID; a file it
 * does not list is still restored, dated by its mtime.
 */
public final class ArchiveSource implements MailSource {

  private final ArchiveLayout layout;
  private final DateWindow dates;
  private final Path spoolDir;
  private Map<String, ManifestRecord> manifest;

  public ArchiveSource(ArchiveLayout layout, DateWindow dates, Path spoolDir) {
    this.layout = layout;
    this.dates = dates;
    this.spoolDir = spoolDir;
  }

  @Override
  public List<FolderInfo> listFolders() {
    ArchiveCheck.open(layout.root());
    List<FolderInfo> out = new ArrayList<>();
    for (FolderPath path : layout.folders()) {
      out.add(new FolderInfo(path, path.toString(), null, true, true));
    }
    return out;
  }

  @Override
  public SourceFolder open(FolderInfo folder) {
    return new ArchiveSourceFolder(folder.path(), layout.folderDir(folder.path()), records(), dates, spoolDir);
  }

  private synchronized Map<String, ManifestRecord> records() {
    if (manifest == null) {
      manifest = Manifest.read(layout.manifest());
    }
    return manifest;
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

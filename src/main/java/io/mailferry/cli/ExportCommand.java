package io.mailferry.cli;

import io.mailferry.archive.ArchiveCheck;
import io.mailferry.archive.MboxExport;
import io.mailferry.mail.FolderPath;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "export", sortOptions = false,
    description = "Write one folder of an archive as an mbox file (mboxrd), readable by mutt, Thunderbird and "
        + "most mail tools.")
final class ExportCommand implements Callable<Integer> {

  @ParentCommand
  MailferryCommand parent;

  @Option(names = "--from", required = true, paramLabel = "DIR", description = "the archive directory")
  Path from;

  @Option(names = "--folder", required = true, paramLabel = "F", description = "the folder, like Work/Projects")
  String folder;

  @Option(names = "--mbox", required = true, paramLabel = "FILE", description = "the mbox file to write (0600)")
  Path mbox;

  @Override
  public Integer call() {
    int n = MboxExport.write(ArchiveCheck.open(from), FolderPath.parse(folder), mbox);
    parent.out.printf("mailferry: exported %d messages of %s to %s%n", n, folder, mbox);
    return ExitCodes.OK;
  }
}

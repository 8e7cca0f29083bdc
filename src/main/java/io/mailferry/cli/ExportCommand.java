package io.mailferry.cli;

import io.mailferry.archive.ArchiveCheck;
import io.mailferry.archive.MboxExport;
import io.mailferry.mail.FolderPath;
import io.mailferry.mail.Printable;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "export",
    sortOptions = false,
    description =
        "Write one folder of an archive as an mbox file (mboxrd), readable by mutt, Thunderbird and "
            + "most mail tools.")
final class ExportCommand implements Callable<Integer> {

  @ParentCommand MailferryCommand parent;

  @Option(
      names = "--from",
      required = true,
      paramLabel = "DIR",
      description = "the archive directory")
  Path from;

  @Option(
      names = "--folder",
      required = true,
      paramLabel = "F",
      description = "the folder, like Work/Projects")
  String folder;

  @Option(
      names = "--mbox",
      required = true,
      paramLabel = "FILE",
      description = "the mbox file to write (0600)")
  Path mbox;

  @Override
  public Integer call() {
    MboxExport.Exported exported =
        MboxExport.write(ArchiveCheck.open(from), FolderPath.parse(folder), mbox);
    exported.problems().forEach(p -> parent.err.println("mailferry: warning: " + p));
    parent.out.printf(
        "mailferry: exported %d messages of %s to %s%s%n",
        exported.messages(),
        Printable.escape(folder),
        mbox,
        exported.skippedMail() ? "; some files were skipped (see the warnings)" : "");
    // A file left out of the folder is mail the mbox may lack: not exit 0.
    return exported.skippedMail() ? ExitCodes.SOME_FAILED : ExitCodes.OK;
  }
}

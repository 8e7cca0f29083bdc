package io.mailferry.cli;

import io.mailferry.archive.ArchiveCheck;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "verify",
    description =
        "Hash every message of an archive again and hold it against the archive's manifest: lists "
            + "missing, corrupt and unexpected files. Exit 0 when all is well, 1 otherwise.")
final class VerifyCommand implements Callable<Integer> {

  @ParentCommand MailferryCommand parent;

  @Parameters(paramLabel = "DIR", description = "the archive directory")
  Path dir;

  @Override
  public Integer call() {
    ArchiveCheck.Result result = ArchiveCheck.run(ArchiveCheck.open(dir));
    result.problems().forEach(parent.out::println);
    parent.out.printf(
        "mailferry: %d messages in %d folders: %d missing, %d corrupt, %d unexpected%s%n",
        result.messages(),
        result.folders(),
        result.count(ArchiveCheck.Kind.MISSING),
        result.count(ArchiveCheck.Kind.CORRUPT),
        result.count(ArchiveCheck.Kind.UNEXPECTED),
        result.problems().isEmpty() ? ": the archive is intact." : ".");
    return result.problems().isEmpty() ? ExitCodes.OK : ExitCodes.SOME_FAILED;
  }
}

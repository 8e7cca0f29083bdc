package io.mailferry.cli;

import io.mailferry.mail.Endpoint;
import io.mailferry.mail.MailferryException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;

/**
 * migrate into a local archive: the same job, options and exactly-once rules, with a Maildir
 * directory as the destination (see io.mailferry.archive). Nightly runs write what is new, rename
 * files whose flags changed, and mark what is gone from the source.
 */
@Command(
    name = "backup",
    sortOptions = false,
    description =
        "Back up an IMAP account (or a POP3 mailbox) into a local Maildir archive that other mail "
            + "tools can open. Re-running writes only what is new and follows flag changes; nothing is ever lost.")
final class BackupCommand extends MigrateCommand {

  @Override
  Endpoint destination() {
    if (to.contains("://")) {
      throw new MailferryException.BadUsage(
          "backup writes to a directory: --to DIR, not a URL (" + to + ").");
    }
    Path dir = Path.of(to);
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new MailferryException.BadConfiguration(
          "The archive " + dir + " is a file, not a directory.");
    }
    return Endpoint.archive(dir);
  }
}

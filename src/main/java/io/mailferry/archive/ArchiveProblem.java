package io.mailferry.archive;

import io.mailferry.mail.Printable;

/**
 * Something in an archive its readers skip: a file or directory that is not what the layout says (a
 * symbolic link, a device, a name mailferry never writes), or a line of the manifest or of a
 * dovecot-keywords file that does not parse. An archive may come from someone else, so what it
 * holds is never followed or trusted beyond its own regular files.
 *
 * @param where the file or directory, relative to the archive (as others named it: printed escaped)
 * @param reason why it is skipped, in mailferry's words
 * @param mailSkipped true when mail may be left out (a message file or a folder not read); false
 *     when only metadata is (a manifest line, a keyword): the messages are read all the same
 * @param count how many lines or files the one problem stands for (see {@link ProblemLines})
 */
public record ArchiveProblem(String where, String reason, boolean mailSkipped, long count) {

  public ArchiveProblem(String where, String reason, boolean mailSkipped) {
    this(where, reason, mailSkipped, 1);
  }

  @Override
  public String toString() {
    return Printable.escape(where) + ": " + reason;
  }
}

package io.mailferry.archive;

import java.util.ArrayList;
import java.util.List;

/**
 * The ignored lines of one file someone else may have written (the manifest, a dovecot-keywords):
 * the first {@link #NAMED} named one by one, the rest counted in one more problem ("and 99980 more
 * lines like these"). A crafted manifest of a million bad lines would otherwise be a million
 * warnings held in memory, logged, printed and kept in the report.
 */
final class ProblemLines {

  static final int NAMED = 20;

  private final List<ArchiveProblem> named = new ArrayList<>();
  private long more;

  void add(String where, String reason) {
    if (named.size() < NAMED) {
      named.add(new ArchiveProblem(where, reason, false));
    } else {
      more++;
    }
  }

  /** The named problems, then (when there were more) one standing for the rest, at {@code file}. */
  List<ArchiveProblem> list(String file) {
    List<ArchiveProblem> out = new ArrayList<>(named);
    if (more > 0) {
      out.add(
          new ArchiveProblem(file, "and " + more + " more lines like these: ignored", false, more));
    }
    return out;
  }
}

package io.mailferry.jobfile;

import io.mailferry.mail.MailferryException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * 78: a job file is wrong. Lists every problem found, one per line, each with file, line and key.
 */
public final class JobFileException extends MailferryException {
  private static final long serialVersionUID = 1L;

  // Never serialized: it ends in one sentence and an exit code (a Position holds a Path).
  private final transient List<Problem> problems;

  public JobFileException(List<Problem> problems) {
    super(
        78,
        problems.stream().map(Problem::toString).collect(Collectors.joining("\nmailferry: ")),
        null);
    this.problems = List.copyOf(problems);
  }

  public List<Problem> problems() {
    return problems;
  }
}

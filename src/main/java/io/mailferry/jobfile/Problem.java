package io.mailferry.jobfile;

/** One mistake in a job file: where, which key, and a sentence saying what is wrong. */
public record Problem(Position at, String field, String message) {

  @Override
  public String toString() {
    return at + ": " + (field == null ? "" : field + ": ") + message;
  }
}

package io.mailferry.jobfile;

import java.nio.file.Path;

/**
 * Where something was written: a file and a 1-based line, for error messages an editor can jump to.
 */
public record Position(Path file, int line) {

  @Override
  public String toString() {
    return file + ":" + line;
  }
}

package io.mailferry.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The report of every run, kept as {@code <state dir>/reports/<execution id>.json}: written at the
 * end of each run, failed and stopped ones included, and read back by {@code mailferry report}. The
 * state directory is local even when the job store is PostgreSQL: reports are this machine's.
 */
public final class RunReports {

  public static final String SCHEMA_RESOURCE = "/report.schema.json";

  private static final JsonMapper JSON =
      JsonMapper.builder()
          .enable(SerializationFeature.INDENT_OUTPUT)
          // The totals and quota lines are written for readers, and derived again when read.
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .build();

  private RunReports() {}

  public static Path dir(Path stateDir) {
    return stateDir.resolve("reports");
  }

  public static Path file(Path stateDir, long executionId) {
    return dir(stateDir).resolve(executionId + ".json");
  }

  /**
   * Writes the report of one run with its exit code and, unless 0, the one-line reason; for one
   * account of a bulk run as for a single run. Replaces the file atomically, private to the user.
   *
   * @return the file written
   */
  public static Path write(Path stateDir, MigrationReport report, int exitCode, String reason) {
    return write(stateDir, report.withOutcome(exitCode, reason));
  }

  /** Writes a report that already carries its outcome. */
  public static Path write(Path stateDir, MigrationReport report) {
    Path target = file(stateDir, report.jobExecutionId());
    try {
      Files.createDirectories(target.getParent());
      Path temp =
          Files.createTempFile(target.getParent(), "." + report.jobExecutionId() + "-", ".tmp");
      try {
        makePrivate(temp);
        Files.writeString(temp, toJson(report));
        try {
          Files.move(
              temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
      } finally {
        Files.deleteIfExists(temp);
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot write the report " + target + ": " + e.getMessage(), e);
    }
  }

  public static String toJson(MigrationReport report) {
    return JSON.writeValueAsString(report) + "\n";
  }

  public static MigrationReport fromJson(String json) {
    return JSON.readValue(json, MigrationReport.class);
  }

  /** The stored report of an execution, if this machine ran it. */
  public static Optional<MigrationReport> read(Path stateDir, long executionId) {
    return read(file(stateDir, executionId));
  }

  /** The report of the run that ended last on this machine. */
  public static Optional<MigrationReport> latest(Path stateDir) {
    Path dir = dir(stateDir);
    if (!Files.isDirectory(dir)) {
      return Optional.empty();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(f -> f.getFileName().toString().matches("\\d+\\.json"))
          .max(Comparator.comparing(RunReports::modified).thenComparing(RunReports::executionId))
          .flatMap(RunReports::read);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot list the reports in " + dir + ": " + e.getMessage(), e);
    }
  }

  /** The JSON Schema the report follows (draft 2020-12). */
  public static String schema() {
    try (InputStream in = RunReports.class.getResourceAsStream(SCHEMA_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("report.schema.json is missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Optional<MigrationReport> read(Path file) {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(fromJson(Files.readString(file)));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the report " + file + ": " + e.getMessage(), e);
    }
  }

  private static FileTime modified(Path file) {
    try {
      return Files.getLastModifiedTime(file);
    } catch (IOException e) {
      return FileTime.fromMillis(0);
    }
  }

  private static long executionId(Path file) {
    String name = file.getFileName().toString();
    return Long.parseLong(name.substring(0, name.length() - ".json".length()));
  }

  private static void makePrivate(Path file) throws IOException {
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException ignored) {
      // Not a POSIX file system: the state directory's own permissions apply.
    }
  }
}

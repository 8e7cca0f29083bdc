package io.mailferry.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailferry.quota.QuotaForecast;
import io.mailferry.testsupport.ReportSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The schema shipped in the jar accepts what mailferry writes and rejects what it would not write.
 */
class RunReportSchemaTests {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  @TempDir Path state;

  @Test
  void a_written_report_follows_the_schema_and_reads_back_the_same() {
    MigrationReport report = sample();

    Path file =
        RunReports.write(
            state, report, 1, "1 messages failed; the summary and the report list them.");

    assertThat(file).isEqualTo(state.resolve("reports").resolve("42.json"));
    String json = read(file);
    assertThat(ReportSchema.violations(json)).isEmpty();
    MigrationReport back = RunReports.fromJson(json);
    assertThat(back.exitCode()).isEqualTo(1);
    assertThat(back.reason()).startsWith("1 messages failed");
    assertThat(back.copied()).isEqualTo(2);
    assertThat(back.folders().get(0).skipped).containsEntry("flagged \\Deleted", 1L);
    assertThat(back.folders().get(0).failed)
        .extracting(FolderTally.Failure::reason)
        .containsExactly("too big");
    assertThat(back.quota().roots().get(0).storage().limit()).isEqualTo(250 * 1024);
    assertThat(RunReports.latest(state))
        .get()
        .extracting(MigrationReport::jobExecutionId)
        .isEqualTo(42L);
  }

  @Test
  void the_schema_rejects_a_report_missing_its_exit_code_or_with_a_count_that_is_not_a_number() {
    String json = RunReports.toJson(sample().withOutcome(0, null));
    assertThat(ReportSchema.violations(json)).isEmpty();

    ObjectNode noExitCode = (ObjectNode) JSON.readTree(json);
    noExitCode.remove("exitCode");
    assertThat(ReportSchema.violations(noExitCode.toString()))
        .anyMatch(v -> v.contains("exitCode"));

    ObjectNode textCount = (ObjectNode) JSON.readTree(json);
    ((ObjectNode) textCount.get("folders").get(0)).put("copied", "two");
    assertThat(ReportSchema.violations(textCount.toString())).anyMatch(v -> v.contains("copied"));

    ObjectNode unknownField = (ObjectNode) JSON.readTree(json);
    unknownField.put("password", "x");
    assertThat(ReportSchema.violations(unknownField.toString()))
        .anyMatch(v -> v.contains("password"));
  }

  @Test
  void every_field_of_the_schema_is_documented_in_the_readme() throws Exception {
    String readme = Files.readString(Path.of("README.md"));
    JsonNode schema = JSON.readTree(RunReports.schema());
    Set<String> fields = new TreeSet<>(schema.get("properties").propertyNames());
    fields.addAll(schema.get("$defs").get("folder").get("properties").propertyNames());
    assertThat(fields.stream().filter(field -> !readme.contains("`" + field + "`")).toList())
        .as("report fields the README does not document")
        .isEmpty();
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static MigrationReport sample() {
    FolderTally inbox = new FolderTally("INBOX", "INBOX");
    inbox.atSource = 4;
    inbox.bytesAtSource = 90_000;
    inbox.copied = 2;
    inbox.bytesCopied = 6_000;
    inbox.skip("flagged \\Deleted");
    inbox.fail(3, "too big");
    inbox.warn("flag $Junk cannot be stored at the destination: dropped");
    inbox.state = "COMPLETED";
    inbox.started = Instant.parse("2026-01-01T10:00:00Z");
    inbox.ended = Instant.parse("2026-01-01T10:00:02Z");
    inbox.elapsedSeconds = 2.0;
    var quota =
        new QuotaForecast(
            true,
            List.of(
                new QuotaForecast.Root(
                    "User quota", new QuotaForecast.Resource(10 * 1024, 250 * 1024, 90_000), null)),
            3,
            90_000,
            0,
            0,
            null);
    return new MigrationReport(
        "imap://alice@old.example",
        "imap://alice@new.example",
        null,
        42,
        "COMPLETED",
        null,
        null,
        Instant.parse("2026-01-01T10:00:00Z"),
        Instant.parse("2026-01-01T10:00:03Z"),
        List.of(inbox),
        2,
        1,
        quota,
        null);
  }
}

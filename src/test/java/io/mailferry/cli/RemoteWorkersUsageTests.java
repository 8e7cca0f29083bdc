package io.mailferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailferry.testsupport.Mailferry;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Remote workers need the shared PostgreSQL job store: without it, one line and exit 64. */
class RemoteWorkersUsageTests {

  @TempDir Path state;

  @Test
  void a_worker_without_a_database_is_refused() {
    var result = Mailferry.run(Map.of(), "worker", "--state-dir", state.toString());

    assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err().strip())
        .isEqualTo(
            "mailferry: worker needs --db jdbc:postgresql://...: the manager and "
                + "its workers share one PostgreSQL job store.");
  }

  @Test
  void a_remote_run_without_a_database_is_refused_before_anything_starts() {
    var result =
        Mailferry.run(
            Map.of("MAILFERRY_FROM_PASSWORD", "a", "MAILFERRY_TO_PASSWORD", "b"),
            "migrate",
            "--from",
            "imap://a@127.0.0.1:1",
            "--to",
            "imap://b@127.0.0.1:1",
            "--workers",
            "remote",
            "--state-dir",
            state.toString());

    assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err()).contains("--workers remote needs --db");
    assertThat(result.err().lines()).hasSize(1);
  }

  @Test
  void workers_status_of_a_local_job_store_is_refused() {
    var result = Mailferry.run(Map.of(), "status", "--workers", "--state-dir", state.toString());

    assertThat(result.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(result.err())
        .contains("--workers lists the workers of a shared PostgreSQL job store: add --db.");
  }
}

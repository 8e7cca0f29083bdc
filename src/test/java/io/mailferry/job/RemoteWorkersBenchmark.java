package io.mailferry.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailferry.testsupport.Account;
import io.mailferry.testsupport.ChildMailferry;
import io.mailferry.testsupport.DovecotExtension;
import io.mailferry.testsupport.DovecotServer;
import io.mailferry.testsupport.PostgresExtension;
import io.mailferry.testsupport.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Not part of the suite (the name does not end in Tests): one mailbox copied by a local run, by a
 * manager with one worker, and by a manager with two workers, on this machine, timed from the
 * manager's start to its exit. Run with {@code ./mvnw -o test -Dtest=RemoteWorkersBenchmark}; size
 * with -Dbench.folders and -Dbench.perFolder.
 */
class RemoteWorkersBenchmark {

  @RegisterExtension static PostgresExtension postgresServer = new PostgresExtension();

  @RegisterExtension
  static DovecotExtension dovecotServer = new DovecotExtension(DovecotServer.Layout.SLASH);

  @TempDir Path state;

  @Test
  void one_worker_against_two() throws Exception {
    int folders = Integer.getInteger("bench.folders", 6);
    int perFolder = Integer.getInteger("bench.perFolder", 200);
    List<String> names = new ArrayList<>(List.of("INBOX"));
    for (int i = 1; i < folders; i++) {
      names.add("Folder" + i);
    }
    DovecotServer dovecot = dovecotServer.server();
    PostgresServer postgres = postgresServer.server();
    dovecot.addUser("bsrc", "from-secret");
    Account source = Account.imap(dovecot.host(), dovecot.imapPort(), "bsrc", "from-secret");
    KillAndResumeIntegrationTests.fill(source, names, perFolder, "bench-");
    Map<String, String> env =
        Map.of(
            "MAILFERRY_FROM_PASSWORD",
            "from-secret",
            "MAILFERRY_TO_PASSWORD",
            "to-secret",
            "MAILFERRY_DB_PASSWORD",
            PostgresServer.PASSWORD);
    String cert = dovecot.certificatePem().toString();
    StringBuilder table = new StringBuilder();
    for (int workers = 0; workers <= 2; workers++) {
      String dst = "bdst" + workers;
      dovecot.addUser(dst, "to-secret");
      List<Process> started = new ArrayList<>();
      for (int w = 0; w < workers; w++) {
        started.add(
            ChildMailferry.start(
                List.of(
                    "worker",
                    "--partitions",
                    String.valueOf(4 / workers),
                    "--db",
                    postgres.jdbcUrl(),
                    "--state-dir",
                    state.resolve("w" + workers + w).toString()),
                env,
                state.resolve("w" + workers + w + ".log")));
      }
      Thread.sleep(workers == 0 ? 0 : 15_000); // the workers are up before the clock starts
      List<String> args =
          new ArrayList<>(
              List.of(
                  "migrate",
                  "--from",
                  source.url(),
                  "--to",
                  "imap://" + dst + "@" + dovecot.host() + ":" + dovecot.imapPort(),
                  "--max-connections",
                  "4",
                  "--trust-cert",
                  cert,
                  "--db",
                  postgres.jdbcUrl(),
                  "--state-dir",
                  state.resolve("m" + workers).toString()));
      if (workers > 0) {
        args.addAll(List.of("--workers", "remote"));
      }
      Path log = state.resolve("m" + workers + ".log");
      long start = System.nanoTime();
      Process manager = ChildMailferry.start(args, env, log);
      assertThat(manager.waitFor(20, TimeUnit.MINUTES)).isTrue();
      double seconds = (System.nanoTime() - start) / 1e9;
      assertThat(manager.exitValue()).as(Files.readString(log)).isZero();
      for (Process p : started) {
        p.destroy();
        p.waitFor(30, TimeUnit.SECONDS);
      }
      int messages = folders * perFolder;
      table.append(
          String.format(
              java.util.Locale.ROOT,
              "%-22s %6d messages %7.1f s %7.1f messages/s%n",
              workers == 0 ? "local (4 threads)" : workers + " worker(s), 4 threads",
              messages,
              seconds,
              messages / seconds));
    }
    System.out.println(
        "RemoteWorkersBenchmark (cores: "
            + Runtime.getRuntime().availableProcessors()
            + ")\n"
            + table);
  }
}

package io.mailferry.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailferry.job.remote.PartitionLeases;
import io.mailferry.testsupport.Account;
import io.mailferry.testsupport.ChildMailferry;
import io.mailferry.testsupport.DovecotExtension;
import io.mailferry.testsupport.DovecotServer;
import io.mailferry.testsupport.PostgresExtension;
import io.mailferry.testsupport.PostgresServer;
import io.mailferry.testsupport.TestMailbox;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;

/**
 * A manager running a bulk job file and worker JVMs on this machine, sharing one PostgreSQL job
 * store and one Dovecot: the folders spread over the workers, the connection cap holds across them
 * (sampled at the server), and a worker killed with SIGKILL mid-run is replaced: every message
 * arrives once.
 */
class RemoteWorkersIntegrationTests {

  private static final List<String> FOLDERS =
      List.of("INBOX", "Work", "Lists/dev", "Archive/2024", "Archive/2025", "Projects");
  private static final int PER_FOLDER = 100;
  private static final int CAP = 2;

  @RegisterExtension
  static DovecotExtension dovecot = new DovecotExtension(DovecotServer.Layout.SLASH);

  @RegisterExtension static PostgresExtension postgres = new PostgresExtension();

  @TempDir Path state;
  private final List<Process> workers = new ArrayList<>();
  private final Map<String, Path> logs = new TreeMap<>();

  @AfterEach
  void stopWorkers() throws Exception {
    for (Process w : workers) {
      w.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void two_workers_share_the_folders_and_the_cap_and_a_killed_worker_is_replaced_exactly_once()
      throws Exception {
    // Two accounts migrated at once by two managers, sharing the workers and the host's cap.
    List<Account> sources = List.of(filledSource("rsrc1"), filledSource("rsrc2"));
    List<Account> destinations =
        List.of(account("rdst1", "to-secret"), account("rdst2", "to-secret"));
    // Workers take the secrets from their own environment, like the managers; never from the
    // database.
    Map<String, String> env = new HashMap<>();
    env.put("MAILFERRY_FROM_PASSWORD", "from-secret");
    env.put("MAILFERRY_TO_PASSWORD", "to-secret");
    env.put("MAILFERRY_DB_PASSWORD", PostgresServer.PASSWORD);
    env.put("MAILFERRY_CHUNK_SIZE", "10");
    // Short leases so that the killed worker's folders are taken over within seconds.
    env.put("MAILFERRY_LEASE_SECONDS", "6");

    Process w1 = worker("w1", env);
    worker("w2", env);
    ConnectionSampler sampler = new ConnectionSampler(sources, destinations);
    sampler.start();
    // One bulk job file of both accounts, its manager handing every folder to the workers.
    Path job =
        Files.writeString(
            state.resolve("bulk.yml"),
            """
        kind: migrate
        from: imap://%1$s:%2$d
        to: imap://%1$s:%2$d
        trust-cert: %3$s
        max-parallel-accounts: 2
        max-connections: %4$d
        accounts:
          - from-user: rsrc1
            to-user: rdst1
          - from-user: rsrc2
            to-user: rdst2
        """
                .formatted(
                    dovecot.server().host(),
                    dovecot.server().imapPort(),
                    dovecot.server().certificatePem(),
                    CAP));
    List<Process> managers = new ArrayList<>();
    managers.add(mailferry("manager", env, List.of("run", job.toString(), "--workers", "remote")));

    // Kill w1 while it holds a folder and messages are moving, then start a replacement.
    List<Long> heldByKilled = waitUntilCopyingOn("w1@", destinations, managers.get(0));
    assertThat(heldByKilled).as("w1 was copying a folder when killed\n" + output()).isNotEmpty();
    w1.destroyForcibly().waitFor(); // SIGKILL: no lease released, no chunk finished
    worker("w3", env);
    // The manager is still running for sure: the folder held by w1 waits for its lease to expire.
    String shown = statusWhileRunning(env, managers.get(0));
    assertThat(shown)
        .as("status --workers shows what a worker copies\n" + output())
        .containsPattern("(?m)^w[23]@\\S+ .* job \\d+ \\S+ since ");

    for (Process manager : managers) {
      assertThat(manager.waitFor(5, TimeUnit.MINUTES)).as(output()).isTrue();
      assertThat(manager.exitValue()).as(output()).isZero();
    }
    sampler.stop();

    for (int i = 0; i < 2; i++) {
      assertSameMessages(sources.get(i), destinations.get(i));
    }
    assertThat(sampler.peakSource())
        .as("source connections to the host seen by Dovecot at once")
        .isBetween(1, CAP);
    assertThat(sampler.peakDestination())
        .as("destination connections to the host seen by Dovecot at once")
        .isBetween(1, CAP);

    Map<String, List<String>> ranBy = partitionWorkers(heldByKilled);
    System.out.println("RemoteWorkers partitions → workers: " + ranBy);
    // Our folders, and the special-use folders Dovecot creates for a new account, of both jobs.
    assertThat(ranBy.size()).isGreaterThanOrEqualTo(2 * FOLDERS.size());
    assertThat(ranBy.values().stream().map(w -> w.get(0).substring(0, 2)).distinct())
        .as("the folders were spread over both workers")
        .contains("w1", "w2");
    assertThat(ranBy.values())
        .as("a folder w1 was copying went on on another worker")
        .anyMatch(
            w ->
                w.size() > 1
                    && w.get(0).startsWith("w1@")
                    && !w.get(w.size() - 1).startsWith("w1@"));
  }

  /** `status --workers` until it shows a worker copying, or the run ends; its last output. */
  private String statusWhileRunning(Map<String, String> env, Process manager) {
    String out = "";
    while (manager.isAlive()) {
      var status =
          io.mailferry.testsupport.Mailferry.run(
              env,
              "status",
              "--workers",
              "--db",
              postgres.server().jdbcUrl(),
              "--state-dir",
              state.resolve("status").toString());
      assertThat(status.exitCode()).as(status.toString()).isZero();
      out = status.out();
      if (out.contains(" since ")) {
        break;
      }
    }
    return out;
  }

  /** A Dovecot user with a given password: the test's accounts of one side share one. */
  private static Account account(String user, String password) {
    dovecot.server().addUser(user, password);
    return Account.imap(dovecot.server().host(), dovecot.server().imapPort(), user, password)
        .trusting(dovecot.server().certificatePem());
  }

  private Process worker(String name, Map<String, String> env) throws Exception {
    Process p = mailferry(name, env, List.of("worker", "--name", name, "--partitions", "2"));
    workers.add(p);
    return p;
  }

  private Process mailferry(String name, Map<String, String> env, List<String> args)
      throws Exception {
    List<String> all = new ArrayList<>(args);
    // Each process its own state dir (log file), as on separate machines; the job store is shared.
    all.addAll(
        List.of(
            "--db", postgres.server().jdbcUrl(), "--state-dir", state.resolve(name).toString()));
    Path log = state.resolve(name + ".log");
    logs.put(name, log);
    return ChildMailferry.start(all, env, log);
  }

  /** The step executions a worker holds leases on, once it holds one and messages are arriving. */
  private List<Long> waitUntilCopyingOn(
      String workerPrefix, List<Account> destinations, Process manager) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (manager.isAlive() && System.nanoTime() < deadline) {
      List<Long> held = new ArrayList<>();
      try (Connection c = jdbc();
          var st =
              c.prepareStatement(
                  "SELECT step_execution_id FROM mf_partition_lease WHERE worker_id LIKE ?")) {
        st.setString(1, workerPrefix + "%");
        try (var rs = st.executeQuery()) {
          while (rs.next()) {
            held.add(rs.getLong(1));
          }
        }
      } catch (java.sql.SQLException notYet) {
        // the schema is created by the first process to start
      }
      if (!held.isEmpty() && copied(destinations) >= 40) {
        return held;
      }
      Thread.sleep(50);
    }
    return List.of();
  }

  private static int copied(List<Account> destinations) throws Exception {
    int n = 0;
    for (Account destination : destinations) {
      try (TestMailbox box = destination.open()) {
        for (String folder : box.folders()) {
          n += box.count(folder);
        }
      }
    }
    return n;
  }

  private static Connection jdbc() throws java.sql.SQLException {
    var props = new java.util.Properties();
    props.put("password", PostgresServer.PASSWORD);
    return DriverManager.getConnection(postgres.server().jdbcUrl(), props);
  }

  /** Partition (folder) → the workers that ran it, in order, read back from the job store. */
  private Map<String, List<String>> partitionWorkers(List<Long> heldByKilled) {
    Map<String, List<String>> out = new TreeMap<>();
    try (var context =
        JobStore.open(
            state.resolve("reader"), postgres.server().jdbcUrl(), null, PostgresServer.PASSWORD)) {
      JobRepository repository = context.getBean(JobRepository.class);
      for (JobExecution job :
          repository.getJobInstances(MigrateJobConfiguration.JOB_NAME, 0, 10).stream()
              .flatMap(instance -> repository.getJobExecutions(instance).stream())
              .toList()) {
        String account =
            job.getJobParameters()
                .getString(MigrationParameters.FROM)
                .replaceAll("^imap://|@.*$", "");
        assertThat(job.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        for (StepExecution step : job.getStepExecutions()) {
          if (step.getStepName().startsWith(MigrateJobConfiguration.FOLDER_STEP + ":")) {
            assertThat(step.getStatus()).as(step.getStepName()).isEqualTo(BatchStatus.COMPLETED);
            String label =
                (heldByKilled.contains(step.getId()) ? "killed " : "")
                    + account
                    + " "
                    + step.getExecutionContext().getString("folder");
            out.put(
                label,
                List.of(
                    step.getExecutionContext().getString(PartitionLeases.WORKERS_KEY).split(",")));
          }
        }
      }
    }
    return out;
  }

  private String output() throws Exception {
    StringBuilder out = new StringBuilder();
    for (var e : logs.entrySet()) {
      out.append("--- ")
          .append(e.getKey())
          .append('\n')
          .append(
              Files.exists(e.getValue())
                  ? Files.readString(e.getValue(), StandardCharsets.UTF_8)
                  : "");
    }
    return out.toString();
  }

  private static Account filledSource(String user) throws Exception {
    return KillAndResumeIntegrationTests.fill(
        account(user, "from-secret"), FOLDERS, PER_FOLDER, "remote-");
  }

  private static void assertSameMessages(Account source, Account destination) throws Exception {
    Map<String, List<String>> from = new TreeMap<>();
    Map<String, List<String>> to = new TreeMap<>();
    try (TestMailbox s = source.open();
        TestMailbox d = destination.open()) {
      for (String folder : FOLDERS) {
        from.put(
            folder,
            s.messages(source.serverName(folder)).stream()
                .map(TestMailbox.StoredMessage::sha256)
                .sorted()
                .toList());
        to.put(
            folder,
            d.messages(destination.serverName(folder)).stream()
                .map(TestMailbox.StoredMessage::sha256)
                .sorted()
                .toList());
      }
    }
    assertThat(to).isEqualTo(from);
  }

  /**
   * Polls `doveadm who` and keeps the most connections seen at once to the host, per side, in two
   * samples in a row: anvil learns of a closed session a moment after the client has seen it
   * closed, so a single sample may count a connection just closed and its successor; connections
   * over the cap because of a missing limit stay for seconds.
   */
  private static final class ConnectionSampler {
    private final List<Account> sources;
    private final List<Account> destinations;
    private final AtomicInteger peakSource = new AtomicInteger();
    private final AtomicInteger peakDestination = new AtomicInteger();
    private final AtomicInteger rawPeak = new AtomicInteger();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private Thread thread;

    ConnectionSampler(List<Account> sources, List<Account> destinations) {
      this.sources = sources;
      this.destinations = destinations;
    }

    void start() {
      thread =
          new Thread(
              () -> {
                int lastSource = 0;
                int lastDestination = 0;
                while (running.get()) {
                  int source = connections(sources);
                  int destination = connections(destinations);
                  rawPeak.accumulateAndGet(Math.max(source, destination), Math::max);
                  peakSource.accumulateAndGet(Math.min(source, lastSource), Math::max);
                  peakDestination.accumulateAndGet(
                      Math.min(destination, lastDestination), Math::max);
                  lastSource = source;
                  lastDestination = destination;
                  try {
                    Thread.sleep(200);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              });
      thread.setDaemon(true);
      thread.start();
    }

    /** IMAP sessions of these accounts according to Dovecot's anvil; -1 when it could not say. */
    private static int connections(List<Account> accounts) {
      try {
        // "doveadm who -1": a header, then one line per connection: username proto pid ip
        Set<String> users =
            accounts.stream().map(Account::user).collect(java.util.stream.Collectors.toSet());
        return (int)
            dovecot
                .server()
                .doveadm("who", "-1")
                .lines()
                .skip(1)
                .map(line -> line.trim().split("\\s+"))
                .filter(
                    cols -> cols.length >= 2 && users.contains(cols[0]) && cols[1].equals("imap"))
                .count();
      } catch (RuntimeException busy) {
        return -1; // anvil did not answer this time (a loaded machine); the next sample counts
      }
    }

    void stop() throws InterruptedException {
      running.set(false);
      thread.join();
      System.out.println(
          "RemoteWorkers connections at once: source "
              + peakSource
              + ", destination "
              + peakDestination
              + " (single samples: "
              + rawPeak
              + ")");
    }

    int peakSource() {
      return peakSource.get();
    }

    int peakDestination() {
      return peakDestination.get();
    }
  }
}

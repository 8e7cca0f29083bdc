package io.mailferry.cli;

import io.mailferry.config.Credentials;
import io.mailferry.config.MigrationSettings;
import io.mailferry.job.ProcessName;
import io.mailferry.job.remote.Worker;
import io.mailferry.mail.MailferryException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "worker",
    sortOptions = false,
    description =
        "Run folders of migrations started elsewhere with --workers remote: take them from the "
            + "shared PostgreSQL job store (--db) until stopped. Secrets come from this machine's own "
            + "environment, password files or commands, never from the database.")
final class WorkerCommand implements Callable<Integer> {

  @ParentCommand MailferryCommand parent;

  @Mixin StoreArgs store;
  @Mixin SecretArgs secrets;

  @Option(
      names = "--partitions",
      paramLabel = "N",
      defaultValue = "2",
      description = "folders copied at once by this worker (default ${DEFAULT-VALUE})")
  int partitions;

  @Option(
      names = "--name",
      paramLabel = "NAME",
      description = "how status names this worker (default host:pid)")
  String name;

  @Override
  public Integer call() throws InterruptedException {
    if (store.db == null) {
      throw new MailferryException.BadUsage(
          "worker needs --db jdbc:postgresql://...: the manager and its "
              + "workers share one PostgreSQL job store.");
    }
    if (partitions < 1) {
      throw new MailferryException.BadUsage("--partitions must be at least 1.");
    }
    String workerId = name == null ? ProcessName.of() : name + "@" + ProcessName.of();
    // Each partition holds a connection for its chunk's transaction and, for moments, a second one:
    // host slots and shared rates commit on their own. Hikari's default 10 would run short.
    var pool =
        Map.<String, Object>of(
            "spring.datasource.hikari.maximum-pool-size", Math.max(10, 2 * partitions + 4));
    try (var context = store.open(parent.env, pool)) {
      Credentials credentials = context.getBean(Credentials.class);
      Worker worker = context.getBean(Worker.class);
      stopOnSignal(worker);
      worker.run(workerId, partitions, secretsFor(credentials));
      return ExitCodes.OK;
    }
  }

  /**
   * A job's secrets are looked up here the first time one of its folders comes, with the same
   * sources as migrate (MAILFERRY_FROM_PASSWORD / MAILFERRY_TO_PASSWORD, files, commands).
   */
  private java.util.function.Consumer<MigrationSettings> secretsFor(Credentials credentials) {
    Set<String> known = ConcurrentHashMap.newKeySet();
    return settings -> {
      String pair = settings.from() + " → " + settings.to();
      if (!known.contains(pair)) {
        Credentials fresh = new Credentials();
        secrets.addTo(fresh, settings, parent.env);
        credentials.putAll(fresh);
        known.add(pair);
      }
    };
  }

  /**
   * SIGTERM/SIGINT: take no more folders, finish those in hand; again: quit now (leases expire).
   */
  private void stopOnSignal(Worker worker) {
    Signals.onInterruptOrTerminate(
        () -> {
          if (worker.stopping()) {
            parent.err.println(
                "mailferry: worker stopped at once; its folders go to other workers.");
            Runtime.getRuntime().halt(ExitCodes.TEMPORARY);
          }
          parent.err.println(
              "mailferry: worker stopping after the folders in hand (signal again to quit at once)...");
          worker.stop();
        });
  }
}

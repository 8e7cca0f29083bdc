package io.mailferry.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "run",
    sortOptions = false,
    description =
        "Run a job file once (jobs/*.yml): one migration or backup, or a bulk job's accounts several at "
            + "a time, with the exit codes of the command line. A bulk job exits 0 when every account did, else with "
            + "the highest exit code of an account.")
final class RunCommand implements Callable<Integer> {

  @ParentCommand MailferryCommand parent;

  @Parameters(paramLabel = "FILE", description = "the job file (YAML)")
  Path file;

  @Mixin StoreArgs store;

  @Option(names = "--dry-run", description = "print each account's plan and write nothing")
  boolean dryRun;

  @Option(
      names = "--workers",
      paramLabel = "WHERE",
      description =
          "local, or remote: `mailferry worker` processes sharing the --db job store copy the folders "
              + "of every account; this process plans and waits (default: the job file's, else local)")
  String workers;

  @Override
  public Integer call() {
    JobFiles.Loaded loaded = JobFiles.load(file);
    JobFiles.applyStore(loaded.job(), store);
    JobFiles.shareStore(loaded, store);
    for (JobFiles.Account account : loaded.accounts()) {
      if (workers != null) {
        account.command().workers = workers;
      }
      account
          .command()
          .remoteWorkers(account.settings()); // a bad --workers is one line, before anything runs
    }
    if (dryRun) {
      loaded.accounts().forEach(account -> account.command().run.dryRun = true);
    }
    try (var context = store.open(parent.env);
        var stop = GracefulStop.install(context, parent.err)) {
      JobRun.Result result = JobRun.execute(loaded, context, parent.env, parent.out, stop);
      if (result.failure() != null) {
        throw result.failure(); // one sentence and its exit code, as migrate says it
      }
      return result.exitCode();
    }
  }
}

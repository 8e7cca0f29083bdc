package io.mailferry.cli;

import io.mailferry.jobfile.JobFileException;
import io.mailferry.jobfile.OptionValue;
import io.mailferry.jobfile.Problem;
import io.mailferry.mail.MailferryException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "schedule",
    sortOptions = false,
    description =
        "Run the job files of a folder at their cron times, until SIGTERM or Ctrl-C: never two runs of a "
            + "job at once, a failed run continued by the next, missed runs reported, one line per run start and end.")
final class ScheduleCommand implements Callable<Integer> {

  @ParentCommand MailferryCommand parent;

  @Parameters(
      paramLabel = "DIR",
      description = "a folder of job files (*.yml); those with a schedule run")
  Path dir;

  @Mixin StoreArgs store;

  @Override
  public Integer call() {
    List<JobFiles.Loaded> scheduled = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    for (Path file : jobFiles()) {
      try {
        JobFiles.Loaded loaded = JobFiles.load(file);
        if (loaded.job().schedule() == null) {
          parent.out.println(
              "schedule: " + file + " has no schedule: not run here (mailferry run runs it).");
        } else {
          scheduled.add(loaded);
        }
      } catch (JobFileException e) {
        problems.addAll(e.problems());
      }
    }
    if (!problems.isEmpty()) {
      throw new JobFileException(problems);
    }
    if (scheduled.isEmpty()) {
      throw new MailferryException.BadConfiguration("No job file in " + dir + " has a schedule.");
    }
    chooseStore(scheduled);
    try (var context = store.open(parent.env)) {
      Scheduler scheduler = new Scheduler(scheduled, context, parent.env, parent.out);
      try (var stop = GracefulStop.install(context, parent.err, scheduler::stop)) {
        scheduler.run(stop);
      }
    }
    return ExitCodes.OK;
  }

  private List<Path> jobFiles() {
    if (Files.isRegularFile(dir)) {
      return List.of(dir);
    }
    if (!Files.isDirectory(dir)) {
      throw new MailferryException.BadConfiguration("There is no folder " + dir + ".");
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(f -> f.getFileName().toString().matches(".*\\.ya?ml") && Files.isRegularFile(f))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new MailferryException.BadConfiguration(
          "Cannot list " + dir + ": " + e.getMessage() + ".", e);
    }
  }

  /** One process, one job store: the command line's, else the one every job file names. */
  private void chooseStore(List<JobFiles.Loaded> jobs) {
    if (store.stateDir != null || store.db != null) {
      return;
    }
    Map<String, String> stores = new TreeMap<>();
    for (JobFiles.Loaded loaded : jobs) {
      Map<String, OptionValue> keys = loaded.job().store();
      Path folder = loaded.job().path().toAbsolutePath().getParent();
      String where =
          keys.containsKey("db")
              ? keys.get("db").values().get(0)
              : keys.containsKey("state-dir")
                  ? folder.resolve(keys.get("state-dir").values().get(0)).normalize().toString()
                  : "the default state directory";
      stores.merge(where, loaded.job().path().toString(), (a, b) -> a + ", " + b);
    }
    if (stores.size() > 1) {
      throw new MailferryException.BadConfiguration(
          "The scheduled jobs name different job stores ("
              + String.join(
                  "; ",
                  stores.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue()).toList())
              + "); one schedule keeps one: give --state-dir or --db.");
    }
    JobFiles.applyStore(jobs.get(0).job(), store);
    jobs.forEach(loaded -> JobFiles.shareStore(loaded, store));
  }
}

package io.mailferry.cli;

import io.mailferry.job.MigrationRun;
import io.mailferry.job.Migrations;
import io.mailferry.jobfile.JobFile;
import io.mailferry.jobfile.Schedule;
import io.mailferry.quota.QuotaForecast;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Runs job files at their cron times in this one process and job store. A job due while its
 * previous run still goes is skipped (said in one line), never queued: runs do not stack. A run
 * that failed or was stopped is continued by the next one (the launcher restarts an unfinished
 * execution of the same accounts). Runs missed while no scheduler ran are counted at start, not
 * run. Console lines: one when a run starts, one when it ends; each run's summary goes to the log
 * file.
 */
final class Scheduler {

  private static final org.slf4j.Logger log =
      org.slf4j.LoggerFactory.getLogger("io.mailferry.schedule");
  private static final int MISSED_COUNT_LIMIT = 1000;

  private final List<JobFiles.Loaded> jobs;
  private final ConfigurableApplicationContext context;
  private final Map<String, String> env;
  private final PrintStream out;
  private final Set<String> running = ConcurrentHashMap.newKeySet();
  private final Object wake = new Object();
  private volatile boolean stopping;

  Scheduler(
      List<JobFiles.Loaded> jobs,
      ConfigurableApplicationContext context,
      Map<String, String> env,
      PrintStream out) {
    this.jobs = jobs;
    this.context = context;
    this.env = env;
    this.out = out;
  }

  /** Called at the first signal: start no more runs and wake the loop. */
  void stop() {
    stopping = true;
    synchronized (wake) {
      wake.notifyAll();
    }
  }

  /** Runs until {@link #stop()}; then waits for the running jobs to stop after their chunks. */
  void run(GracefulStop stop) {
    Map<JobFiles.Loaded, ZonedDateTime> next = new LinkedHashMap<>();
    Instant now = Instant.now();
    reportMissed(now);
    for (JobFiles.Loaded job : jobs) {
      next.put(job, job.job().schedule().next(now));
      say(job.job().name() + ": scheduled " + job.job().schedule() + ", next run " + next.get(job));
    }
    ExecutorService runs =
        Executors.newCachedThreadPool(r -> new Thread(r, "mailferry-scheduled-run"));
    try {
      while (!stopping) {
        now = Instant.now();
        for (var entry : next.entrySet()) {
          ZonedDateTime due = entry.getValue();
          if (due != null && !due.toInstant().isAfter(now)) {
            start(entry.getKey(), due, runs, stop);
            // From now, not from the due time: fires that went by while this one waited are not
            // stacked.
            entry.setValue(entry.getKey().job().schedule().next(now));
          }
        }
        sleepUntilNext(next.values());
      }
      if (!running.isEmpty()) {
        say(
            "stopping: "
                + running.size()
                + " run(s) finish their chunks in flight and stay resumable");
      }
    } finally {
      runs.shutdown();
      awaitRuns(runs, stop);
      say("stopped");
    }
  }

  private void start(
      JobFiles.Loaded loaded, ZonedDateTime due, ExecutorService runs, GracefulStop stop) {
    String name = loaded.job().name();
    if (!running.add(name)) {
      say(name + ": the run due at " + due + " is skipped: the previous run is still going");
      return;
    }
    runs.submit(
        () -> {
          Instant started = Instant.now();
          say(name + ": run started (" + accounts(loaded.job()) + ")");
          ByteArrayOutputStream summary = new ByteArrayOutputStream();
          JobRun.Result result;
          try (PrintStream captured = new PrintStream(summary, true, StandardCharsets.UTF_8)) {
            result = JobRun.execute(loaded, context, env, captured, stop);
          } catch (RuntimeException e) {
            // A run must never end the scheduler; the next one tries again.
            log.error("scheduled run of " + name + " failed", e);
            result = new JobRun.Result(ExitCodes.SOFTWARE, "unexpected error: " + e, 0, 0, e);
          } finally {
            running.remove(name);
          }
          // One log event per line: the log escapes control characters, newlines included.
          summary
              .toString(StandardCharsets.UTF_8)
              .lines()
              .forEach(line -> log.info("summary of the scheduled run of {}: {}", name, line));
          double seconds = Duration.between(started, Instant.now()).toMillis() / 1000.0;
          ZonedDateTime following = loaded.job().schedule().next(Instant.now());
          say(
              String.format(
                  Locale.ROOT,
                  "%s: run ended: exit %d (%s), %d messages, %s copied in %.1f s; next run %s%s",
                  name,
                  result.exitCode(),
                  BulkReport.outcomeWord(result.exitCode()),
                  result.messages(),
                  QuotaForecast.size(result.bytes()),
                  seconds,
                  stopping ? "(none: stopping)" : following,
                  result.reason() == null ? "" : ". " + result.reason()));
        });
  }

  private static String accounts(JobFile job) {
    return job.bulk()
        ? job.accounts().size()
            + " accounts, "
            + Math.min(job.maxParallelAccounts(), job.accounts().size())
            + " at a time"
        : job.kind().command();
  }

  /**
   * Waits for the runs in flight, asking again every second that they stop (see
   * GracefulStop#stopRunning).
   */
  private static void awaitRuns(ExecutorService runs, GracefulStop stop) {
    try {
      while (!runs.awaitTermination(1, TimeUnit.SECONDS)) {
        if (stop.requested()) {
          stop.stopRunning();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void sleepUntilNext(java.util.Collection<ZonedDateTime> next) {
    long now = System.currentTimeMillis();
    long until =
        next.stream()
            .filter(java.util.Objects::nonNull)
            .mapToLong(t -> t.toInstant().toEpochMilli())
            .min()
            .orElse(now + 60_000);
    long wait =
        Math.max(1, Math.min(until - now, 60_000)); // wake at least once a minute: clocks jump
    synchronized (wake) {
      if (!stopping) {
        try {
          wake.wait(wait);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          stopping = true;
        }
      }
    }
  }

  /**
   * The job store knows when each pair last started: cron times after that, until now, were missed
   * while no scheduler ran. They are said once, not run: the next run catches up.
   */
  private void reportMissed(Instant now) {
    Map<String, Instant> lastStart = new HashMap<>();
    for (MigrationRun execution : context.getBean(Migrations.class).runs()) {
      if (execution.started() == null) {
        continue;
      }
      String pair = execution.pair();
      Instant started = execution.started().atZone(ZoneId.systemDefault()).toInstant();
      lastStart.merge(pair, started, (a, b) -> a.isAfter(b) ? a : b);
    }
    for (JobFiles.Loaded loaded : jobs) {
      Set<String> pairs = new HashSet<>();
      loaded.accounts().forEach(a -> pairs.add(a.settings().from() + " → " + a.settings().to()));
      Instant last =
          pairs.stream()
              .map(lastStart::get)
              .filter(java.util.Objects::nonNull)
              .max(Instant::compareTo)
              .orElse(null);
      if (last == null) {
        continue;
      }
      Schedule schedule = loaded.job().schedule();
      int missed = 0;
      ZonedDateTime first = null;
      for (ZonedDateTime t = schedule.next(last.truncatedTo(ChronoUnit.SECONDS));
          t != null && t.toInstant().isBefore(now) && missed < MISSED_COUNT_LIMIT;
          t = schedule.next(t.toInstant())) {
        first = first == null ? t : first;
        missed++;
      }
      if (missed > 0) {
        say(
            loaded.job().name()
                + ": "
                + (missed == MISSED_COUNT_LIMIT ? "at least " : "")
                + missed
                + " run(s) missed while no scheduler ran (the first due "
                + first
                + ", the last run started "
                + last.atZone(schedule.zone())
                + "); not run now: the next run catches up");
      }
    }
  }

  private void say(String line) {
    synchronized (out) {
      out.println(Instant.now().truncatedTo(ChronoUnit.SECONDS) + " schedule: " + line);
      out.flush();
    }
    log.info(line);
  }
}

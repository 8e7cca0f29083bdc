package io.mailferry.job;

import io.mailferry.quota.QuotaForecast;
import io.mailferry.report.FolderTally;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Progress of every account running in this process, per --progress: "bar" redraws a live line per
 * account on the terminal twice a second; "lines" logs a plain line per account every 5 s (to
 * standard error and the log file); "none" shows nothing while a run goes on.
 */
@Component
public class ProgressBoard implements JobExecutionListener {

  static final long BAR_MILLIS = 500;
  static final long LINE_MILLIS = 5000;

  private static final Logger progress = LoggerFactory.getLogger("io.mailferry.progress");
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final String mode;
  private final long everyMillis;
  private final Map<Long, AccountProgress> accounts = new ConcurrentHashMap<>();
  private ScheduledExecutorService clock;
  private ScheduledFuture<?> ticking;

  /**
   * @param everyMillis how often the bar or line is shown; 0: twice a second for a bar, every 5 s
   *     for lines
   */
  public ProgressBoard(
      @Value("${mailferry.progress:lines}") String mode,
      @Value("${mailferry.progress-every-ms:0}") long everyMillis) {
    this.mode = mode;
    this.everyMillis =
        everyMillis > 0 ? everyMillis : mode.equals("bar") ? BAR_MILLIS : LINE_MILLIS;
  }

  @Override
  public synchronized void beforeJob(JobExecution execution) {
    if (mode.equals("none")) {
      return;
    }
    var parameters = execution.getJobParameters();
    String name = parameters.getString(MigrationLauncher.JOB_NAME_PARAMETER);
    String label =
        (name == null ? "" : name + ": ")
            + parameters.getString(MigrationParameters.FROM)
            + " → "
            + parameters.getString(MigrationParameters.TO);
    accounts.put(execution.getId(), new AccountProgress(label));
    if (ticking == null) {
      if (mode.equals("bar")) {
        LiveConsole.activate(System.err);
      }
      clock =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "mailferry-progress");
                t.setDaemon(true);
                return t;
              });
      ticking =
          clock.scheduleAtFixedRate(this::tick, everyMillis, everyMillis, TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public synchronized void afterJob(JobExecution execution) {
    AccountProgress done = accounts.remove(execution.getId());
    if (done != null && mode.equals("bar")) {
      LiveConsole.keep(done.snapshot().bar(), bars());
    }
    if (accounts.isEmpty() && ticking != null) {
      stop();
    }
  }

  /** A folder starts (or restarts with its saved tally). */
  void folderStarted(JobExecution execution, long stepId, FolderTally restored) {
    AccountProgress account = account(execution);
    if (account != null) {
      account.folderStarted(stepId, restored);
    }
  }

  /** A chunk was committed: the folder's tally as saved. */
  void folderMoved(JobExecution execution, long stepId, FolderTally tally) {
    AccountProgress account = account(execution);
    if (account != null) {
      account.folderMoved(stepId, tally);
    }
  }

  /** The account of a running execution, with the quota step's forecast as its first total. */
  private AccountProgress account(JobExecution execution) {
    AccountProgress account = accounts.get(execution.getId());
    if (account != null
        && !account.hasForecast()
        && execution.getExecutionContext().containsKey(QuotaTasklet.FORECAST_KEY)) {
      account.forecast(
          JSON.readValue(
              execution.getExecutionContext().getString(QuotaTasklet.FORECAST_KEY),
              QuotaForecast.class));
    }
    return account;
  }

  private void tick() {
    try {
      if (mode.equals("bar")) {
        LiveConsole.draw(bars());
      } else {
        accounts
            .values()
            .forEach(
                a -> {
                  var snapshot = a.snapshot();
                  if (snapshot.total() > 0) {
                    progress.info(snapshot.line());
                  }
                });
      }
    } catch (RuntimeException e) {
      // Progress is a courtesy: it must never stop a run.
      LoggerFactory.getLogger(ProgressBoard.class).debug("progress display failed", e);
    }
  }

  private List<String> bars() {
    List<String> lines = new ArrayList<>();
    accounts.values().forEach(a -> lines.add(a.snapshot().bar()));
    return lines;
  }

  private void stop() {
    ticking.cancel(false);
    clock.shutdownNow();
    ticking = null;
    clock = null;
    LiveConsole.deactivate();
  }

  @jakarta.annotation.PreDestroy
  synchronized void close() {
    if (ticking != null) {
      stop();
    }
  }
}

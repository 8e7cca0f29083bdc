package io.mailferry.jobfile;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A job file, loaded and checked for its structure. The options of each account are checked by the
 * command line they stand for (see cli.JobFiles).
 *
 * @param name the file name without .yml: how logs and reports name the job
 * @param schedule null when the job has none (it then only runs with {@code mailferry run})
 * @param bulk whether the file lists accounts (a summary row each) rather than being one migration
 * @param store the job-store keys (state-dir, db, db-user) of the file, used when the command line
 *     has none
 */
public record JobFile(
    Path path,
    String name,
    Kind kind,
    Schedule schedule,
    int maxParallelAccounts,
    boolean bulk,
    List<AccountSpec> accounts,
    Map<String, OptionValue> store) {

  public enum Kind {
    MIGRATE,
    BACKUP;

    public String command() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public JobFile {
    accounts = List.copyOf(accounts);
    store = Map.copyOf(store);
  }
}

package io.mailferry.cli;

import io.mailferry.job.JobStore;
import io.mailferry.mail.MailferryException;
import java.nio.file.Path;
import java.util.Map;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Option;

/** Which job store a command works on. */
final class StoreArgs {

  @Option(names = "--state-dir", paramLabel = "DIR", description = "job store folder (default ~/.mailferry)")
  Path stateDir;

  @Option(names = "--db", paramLabel = "JDBC_URL",
      description = "a jdbc:postgresql:// job store instead (password from MAILFERRY_DB_PASSWORD)")
  String db;

  @Option(names = "--db-user", paramLabel = "USER", description = "the PostgreSQL user, unless the URL names it")
  String dbUser;

  ConfigurableApplicationContext open(Map<String, String> env) {
    if (db != null && !db.startsWith("jdbc:postgresql:")) {
      throw new MailferryException.BadUsage("--db takes a jdbc:postgresql:// URL.");
    }
    Path state = stateDir != null ? stateDir : Path.of(System.getProperty("user.home"), ".mailferry");
    if (dbUser != null && db == null) {
      throw new MailferryException.BadUsage("--db-user goes with --db.");
    }
    return JobStore.open(state, db, dbUser, env.get("MAILFERRY_DB_PASSWORD"));
  }
}

package io.mailferry.cli;

import io.mailferry.job.JobStore;
import io.mailferry.mail.MailferryException;
import java.nio.file.Path;
import java.util.Map;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Which job store a command works on. */
final class StoreArgs {

  @Option(
      names = "--state-dir",
      paramLabel = "DIR",
      description = "job store folder (default ~/.mailferry)")
  Path stateDir;

  @Option(
      names = "--db",
      paramLabel = "JDBC_URL",
      description = "a jdbc:postgresql:// job store instead (password from MAILFERRY_DB_PASSWORD)")
  String db;

  @Option(
      names = "--db-user",
      paramLabel = "USER",
      description = "the PostgreSQL user, unless the URL names it")
  String dbUser;

  /** The command this is mixed into: its root holds the global output options. */
  @Spec(Spec.Target.MIXEE)
  CommandSpec mixee;

  /** The local state directory: the H2 job store, the log, the run reports (also with --db). */
  Path stateDir() {
    return stateDir != null ? stateDir : Path.of(System.getProperty("user.home"), ".mailferry");
  }

  ConfigurableApplicationContext open(Map<String, String> env) {
    return open(env, Map.of());
  }

  /**
   * @param settings more Spring properties for this command's context
   */
  ConfigurableApplicationContext open(Map<String, String> env, Map<String, Object> settings) {
    if (db != null && !db.startsWith("jdbc:postgresql:")) {
      throw new MailferryException.BadUsage("--db takes a jdbc:postgresql:// URL.");
    }
    if (dbUser != null && db == null) {
      throw new MailferryException.BadUsage("--db-user goes with --db.");
    }
    Map<String, Object> properties = new java.util.HashMap<>(settings);
    if (mixee != null && mixee.root().userObject() instanceof MailferryCommand root) {
      properties.putAll(root.outputProperties());
    }
    return JobStore.open(stateDir(), db, dbUser, env.get("MAILFERRY_DB_PASSWORD"), properties);
  }
}

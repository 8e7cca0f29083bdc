package io.mailferry.job;

import io.mailferry.config.Credentials;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * Starts the Spring context on a job store: an embedded H2 file under the state directory by
 * default, or PostgreSQL with --db. Flyway brings the schema up to date from sql/ first.
 */
@SpringBootApplication(scanBasePackages = "io.mailferry.job")
public class JobStore {

  @Bean
  Credentials credentials() {
    return new Credentials();
  }

  /**
   * @param database a jdbc:postgresql:// URL, or null for the embedded H2 store
   * @param databasePassword from MAILFERRY_DB_PASSWORD; never a command-line value
   */
  public static ConfigurableApplicationContext open(
      Path stateDir, String database, String databaseUser, String databasePassword) {
    return open(stateDir, database, databaseUser, databasePassword, Map.of());
  }

  /**
   * @param output how the run shows itself: mailferry.progress (bar, lines, none),
   *     mailferry.console-level and mailferry.log-level (read by logback-spring.xml)
   */
  public static ConfigurableApplicationContext open(
      Path stateDir,
      String database,
      String databaseUser,
      String databasePassword,
      Map<String, Object> output) {
    try {
      Files.createDirectories(stateDir);
      try {
        Files.setPosixFilePermissions(stateDir, PosixFilePermissions.fromString("rwx------"));
      } catch (UnsupportedOperationException ignored) {
        // Not a POSIX file system: the user's own folder permissions apply.
      }
    } catch (java.io.IOException e) {
      throw new io.mailferry.mail.MailferryException.BadConfiguration(
          "Cannot create the state directory " + stateDir + ": " + e.getMessage() + ".", e);
    }
    Map<String, Object> props = new HashMap<>();
    props.put("mailferry.state-dir", stateDir.toAbsolutePath().toString());
    if (database == null) {
      // AUTO_SERVER lets a second mailferry process (status, resume) open the same file.
      props.put(
          "spring.datasource.url",
          "jdbc:h2:file:" + stateDir.toAbsolutePath().resolve("jobstore") + ";AUTO_SERVER=TRUE");
      props.put("spring.datasource.username", "sa");
      props.put("spring.datasource.password", "");
    } else {
      props.put("spring.datasource.url", database);
      if (databaseUser != null) {
        props.put("spring.datasource.username", databaseUser);
      }
      if (databasePassword != null) {
        props.put("spring.datasource.password", databasePassword);
      }
    }
    // A job store that went away must fail a chunk in seconds, not hang it for Hikari's 30 s.
    props.put("spring.datasource.hikari.connection-timeout", "5000");
    props.put("spring.batch.jdbc.initialize-schema", "never");
    props.put("spring.batch.job.enabled", "false");
    props.put("spring.flyway.locations", "classpath:sql/common,classpath:sql/{vendor}");
    props.put("spring.main.banner-mode", "off");
    props.put("spring.main.log-startup-info", "false");
    props.putAll(output);
    SpringApplication app = new SpringApplication(JobStore.class);
    app.setWebApplicationType(WebApplicationType.NONE);
    app.setDefaultProperties(props);
    app.setRegisterShutdownHook(false);
    return app.run();
  }
}

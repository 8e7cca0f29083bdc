package io.mailferry.job;

import io.mailferry.testsupport.Account;
import io.mailferry.testsupport.PostgresExtension;
import io.mailferry.testsupport.PostgresServer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The kill -9, SIGTERM and run-lock tests again, with the job store in PostgreSQL. */
class PostgresKillAndResumeIntegrationTests extends KillAndResumeIntegrationTests {

  @RegisterExtension static PostgresExtension postgres = new PostgresExtension();

  @Override
  protected List<String> storeArgs() {
    return List.of("--db", postgres.server().jdbcUrl(), "--state-dir", state.toString());
  }

  @Override
  protected Map<String, String> env(Account source, Account destination) {
    Map<String, String> env = new HashMap<>(super.env(source, destination));
    env.put("MAILFERRY_DB_PASSWORD", PostgresServer.PASSWORD);
    return env;
  }
}

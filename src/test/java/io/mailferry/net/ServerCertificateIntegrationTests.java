package io.mailferry.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailferry.testsupport.Mailferry;
import io.mailferry.testsupport.TlsGreeter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a user is told about an imaps:// server's certificate (issue 17.7): one that does not name
 * the host is said to be so, even when --from-trust-cert trusts it; an unknown one is "not
 * trusted".
 */
class ServerCertificateIntegrationTests {

  @TempDir Path dir;

  @Test
  void a_trusted_certificate_for_another_host_is_said_not_to_name_the_host() throws Exception {
    try (var server = new TlsGreeter(dir, "dns:other.example")) {
      var run = migrate(server, server.certificate());

      assertThat(run.exitCode()).as(run.toString()).isEqualTo(69);
      assertThat(run.err().strip())
          .isEqualTo(
              "mailferry: TLS with the source host 127.0.0.1:"
                  + server.port()
                  + " failed: its certificate"
                  + " does not name the host 127.0.0.1.");
    }
  }

  @Test
  void a_certificate_naming_the_host_and_trusted_gets_as_far_as_the_login() throws Exception {
    try (var server = new TlsGreeter(dir, "ip:127.0.0.1")) {
      var run = migrate(server, server.certificate());

      assertThat(run.exitCode()).as(run.toString()).isEqualTo(77);
      assertThat(run.err()).contains("greeter refuses everyone").doesNotContain("TLS");
    }
  }

  @Test
  void an_unknown_certificate_is_not_trusted_and_the_user_is_told_how_to_trust_it()
      throws Exception {
    try (var server = new TlsGreeter(dir, "ip:127.0.0.1")) {
      var run = migrate(server, null);

      assertThat(run.exitCode()).as(run.toString()).isEqualTo(69);
      assertThat(run.err())
          .contains("its certificate is not trusted")
          .contains("--from-trust-cert FILE");
    }
  }

  private Mailferry.Result migrate(TlsGreeter server, Path trust) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "migrate",
                "--from",
                "imaps://alice@127.0.0.1:" + server.port(),
                "--to",
                "imaps://bob@127.0.0.1:" + server.port(),
                "--state-dir",
                dir.resolve("state").toString()));
    if (trust != null) {
      args.addAll(
          List.of("--from-trust-cert", trust.toString(), "--to-trust-cert", trust.toString()));
    }
    return Mailferry.run(
        Map.of("MAILFERRY_FROM_PASSWORD", "pw", "MAILFERRY_TO_PASSWORD", "pw"),
        args.toArray(String[]::new));
  }
}

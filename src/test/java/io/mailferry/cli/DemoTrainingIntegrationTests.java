package io.mailferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailferry.testsupport.ChildMailferry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo as bin/mailferry trains its AOT cache with it: over IMAPS, with a key made by keytool as
 * bin/mailferry makes it, migrating twice (the copy, then the re-run with nothing new).
 */
class DemoTrainingIntegrationTests {

  private static final String PASSWORD = "mailferry-training";

  @TempDir Path dir;

  @Test
  void with_a_training_certificate_the_demo_migrates_over_imaps_and_runs_again() throws Exception {
    Path keystore = dir.resolve("training.p12");
    Path pem = dir.resolve("training.pem");
    keytool(
        "-genkeypair",
        "-keystore",
        keystore.toString(),
        "-storetype",
        "PKCS12",
        "-storepass",
        PASSWORD,
        "-keypass",
        PASSWORD,
        "-alias",
        "training",
        "-keyalg",
        "RSA",
        "-keysize",
        "2048",
        "-dname",
        "CN=127.0.0.1",
        "-ext",
        "san=ip:127.0.0.1",
        "-validity",
        "2");
    keytool(
        "-exportcert",
        "-rfc",
        "-keystore",
        keystore.toString(),
        "-storepass",
        PASSWORD,
        "-alias",
        "training",
        "-file",
        pem.toString());
    Path log = dir.resolve("demo.log");
    // GreenMail reads its TLS key from system properties; the child JVM gets them from the
    // environment.
    String properties =
        "-Dgreenmail.tls.keystore.file="
            + keystore
            + " -Dgreenmail.tls.keystore.password="
            + PASSWORD
            + " -Dgreenmail.tls.key.password="
            + PASSWORD;

    Process demo =
        ChildMailferry.start(
            List.of("demo", "--training-tls-cert", pem.toString()),
            Map.of("JAVA_TOOL_OPTIONS", properties),
            log);

    assertThat(demo.waitFor(180, TimeUnit.SECONDS)).as("the demo ends").isTrue();
    String out = Files.readString(log);
    assertThat(demo.exitValue()).as(out).isZero();
    assertThat(out).contains("imaps://alice@127.0.0.1:").contains("Destination folders now:");
    assertThat(out)
        .as("the second run, with nothing new")
        .contains("reports/2.json")
        .contains("(execution 2, COMPLETED)");
  }

  private static void keytool(String... args) throws Exception {
    List<String> command =
        new java.util.ArrayList<>(
            List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as(out).isZero();
  }
}

package io.mailferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container's entry point (bin/docker-entrypoint) as a plain command, with a stand-in java that
 * prints the command line it was given: the state directory is the /data volume for the commands
 * that keep state, and never overrides one the user gave. (.ci/run also runs it on the built jar.)
 */
class DockerEntrypointTests {

  @TempDir Path javaHome;

  @BeforeEach
  void fakeJava() throws Exception {
    Path java = Files.createDirectories(javaHome.resolve("bin")).resolve("java");
    Files.writeString(java, "#!/bin/sh\necho \"$@\"\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  @Test
  void a_command_that_keeps_state_gets_the_data_volume_as_its_state_directory() throws Exception {
    assertThat(entrypoint("migrate", "--from", "imaps://a@old", "--to", "imaps://a@new"))
        .isEqualTo(
            "-jar /opt/mailferry/mailferry.jar migrate --from imaps://a@old --to imaps://a@new --state-dir /data");
    assertThat(entrypoint("--quiet", "status"))
        .isEqualTo("-jar /opt/mailferry/mailferry.jar --quiet status --state-dir /data");
    assertThat(entrypoint("schedule", "/jobs"))
        .isEqualTo("-jar /opt/mailferry/mailferry.jar schedule /jobs --state-dir /data");
  }

  @Test
  void a_state_directory_given_help_and_stateless_commands_are_left_alone() throws Exception {
    assertThat(entrypoint("status", "--state-dir", "/elsewhere"))
        .isEqualTo("-jar /opt/mailferry/mailferry.jar status --state-dir /elsewhere");
    assertThat(entrypoint("--help")).isEqualTo("-jar /opt/mailferry/mailferry.jar --help");
    assertThat(entrypoint("migrate", "--help"))
        .isEqualTo("-jar /opt/mailferry/mailferry.jar migrate --help");
    assertThat(entrypoint("verify", "/archives/alice"))
        .isEqualTo("-jar /opt/mailferry/mailferry.jar verify /archives/alice");
  }

  private String entrypoint(String... args) throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(Path.of("bin", "docker-entrypoint").toAbsolutePath().toString());
    pb.command().addAll(java.util.List.of(args));
    pb.environment().put("JAVA_HOME", javaHome.toString());
    pb.environment().remove("MAILFERRY_JAR");
    pb.environment().remove("MAILFERRY_STATE_DIR");
    pb.environment().remove("MAILFERRY_JAVA_OPTS");
    pb.redirectErrorStream(true);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes()).strip();
    assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }
}

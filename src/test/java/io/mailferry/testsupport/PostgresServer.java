package io.mailferry.testsupport;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A private PostgreSQL cluster from Debian's packages, started by the test on a free loopback port
 * and removed afterwards. PostgreSQL refuses to run as root, so when the tests run as root (CI) the
 * server runs as the "postgres" system user through runuser.
 */
public final class PostgresServer implements AutoCloseable {

  public static final String USER = "mailferry";
  public static final String PASSWORD = "pg-test-secret";
  public static final String DATABASE = "mailferry";

  private final Path dir;
  private final Path data;
  private final Path bin;
  private final int port;

  private PostgresServer(Path dir, Path bin, int port) {
    this.dir = dir;
    this.data = dir.resolve("data");
    this.bin = bin;
    this.port = port;
  }

  public static PostgresServer start() {
    Path bin = findBin();
    try {
      Path dir = Files.createTempDirectory("mailferry-pg-");
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
      PostgresServer server = new PostgresServer(dir, bin, freePort());
      server.init();
      return server;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start PostgreSQL", e);
    }
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE + "?user=" + USER;
  }

  private void init() throws IOException {
    Path pwfile = dir.resolve("pwfile");
    Files.writeString(pwfile, PASSWORD + "\n");
    chownToPostgres(dir);
    run(
        bin.resolve("initdb").toString(),
        "-D",
        data.toString(),
        "-U",
        USER,
        "--pwfile=" + pwfile,
        "-A",
        "scram-sha-256",
        "-E",
        "UTF8",
        "--locale=C");
    run(
        bin.resolve("pg_ctl").toString(),
        "-D",
        data.toString(),
        "-w",
        "-t",
        "30",
        "-l",
        dir.resolve("log").toString(),
        "-o",
        "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1",
        "start");
    run(
        bin.resolve("createdb").toString(),
        "-h",
        "127.0.0.1",
        "-p",
        String.valueOf(port),
        "-U",
        USER,
        DATABASE);
  }

  private void run(String... command) {
    List<String> cmd = new ArrayList<>();
    if (isRoot()) {
      cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    cmd.addAll(List.of(command));
    try {
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
      pb.environment().put("PGPASSWORD", PASSWORD);
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes());
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("failed: " + String.join(" ", command) + "\n" + out);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + command[0], e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Stops the server at once, as a crash or a network loss would look to a client. */
  public void kill() {
    run(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "stop");
  }

  /** Starts it again on the same port, with the same data. */
  public void restart() {
    run(
        bin.resolve("pg_ctl").toString(),
        "-D",
        data.toString(),
        "-w",
        "-t",
        "30",
        "-l",
        dir.resolve("log").toString(),
        "-o",
        "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1",
        "start");
  }

  @Override
  public void close() {
    try {
      run(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "stop");
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException ignored) {
        // a temp dir left behind is harmless
      }
    }
  }

  private static Path findBin() {
    try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
      return versions
          .sorted(Comparator.reverseOrder())
          .map(v -> v.resolve("bin"))
          .filter(b -> Files.isExecutable(b.resolve("initdb")))
          .findFirst()
          .orElseThrow(() -> new IllegalStateException("no initdb"));
    } catch (IOException | IllegalStateException e) {
      throw new IllegalStateException(
          "PostgreSQL is not installed: run .ci/run or apt-get install postgresql", e);
    }
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static void chownToPostgres(Path path) throws IOException {
    if (isRoot()) {
      try (Stream<Path> files = Files.walk(path)) {
        var postgres =
            path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
        for (Path p : files.toList()) {
          Files.setOwner(p, postgres);
        }
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}

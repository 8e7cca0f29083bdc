package io.mailferry.testsupport;

import io.mailferry.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Runs the mailferry command line in-process, as a user would type it, and captures its output. */
public final class Mailferry {

  public record Result(int exitCode, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  private Mailferry() {}

  /** migrate from → to with passwords in the environment and a private state directory. */
  public static Result migrate(Account from, Account to, Path stateDir, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "migrate",
                "--from",
                from.url(),
                "--to",
                to.url(),
                "--state-dir",
                stateDir.toString()));
    if (from.trustCert() != null) {
      args.addAll(List.of("--from-trust-cert", from.trustCert().toString()));
    }
    if (to.trustCert() != null) {
      args.addAll(List.of("--to-trust-cert", to.trustCert().toString()));
    }
    args.addAll(List.of(extra));
    return run(
        Map.of("MAILFERRY_FROM_PASSWORD", from.password(), "MAILFERRY_TO_PASSWORD", to.password()),
        args.toArray(String[]::new));
  }

  public static Result run(Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code = Main.run(args, new HashMap<>(env), o, e);
    }
    return new Result(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}

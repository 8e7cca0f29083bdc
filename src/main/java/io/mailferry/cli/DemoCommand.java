package io.mailferry.cli;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.mailferry.demo.Demo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "demo",
    description =
        "Start two in-process IMAP servers (GreenMail), fill one with a sample mailbox, "
            + "migrate it to the other and print the report. Needs no server of your own.")
final class DemoCommand implements Callable<Integer> {

  @ParentCommand MailferryCommand parent;

  /**
   * Not for users: bin/mailferry trains its AOT cache with the demo, and a real run speaks TLS and
   * is often a re-run with nothing new. With this PEM certificate (of the key GreenMail is given
   * with -Dgreenmail.tls.keystore.file) the demo serves IMAPS and migrates twice, so the training
   * covers the TLS handshake and the no-op re-run too.
   */
  @Option(names = "--training-tls-cert", hidden = true, paramLabel = "FILE")
  Path trainingTlsCert;

  @Override
  public Integer call() throws Exception {
    String protocol =
        trainingTlsCert == null ? ServerSetup.PROTOCOL_IMAP : ServerSetup.PROTOCOL_IMAPS;
    GreenMail source = new GreenMail(new ServerSetup(3143, "127.0.0.1", protocol).dynamicPort());
    GreenMail destination =
        new GreenMail(new ServerSetup(3144, "127.0.0.1", protocol).dynamicPort());
    Path state = Files.createTempDirectory("mailferry-demo-");
    try {
      source.start();
      destination.start();
      String password = "demo-" + Long.toHexString(System.nanoTime());
      source.setUser("alice@old.example", "alice", password);
      destination.setUser("alice@new.example", "alice", password);
      String scheme = trainingTlsCert == null ? "imap" : "imaps";
      String from = scheme + "://alice@127.0.0.1:" + port(source);
      String to = scheme + "://alice@127.0.0.1:" + port(destination);
      int seeded = Demo.seed(from, password, trainingTlsCert);
      parent.out.printf(
          "Demo: %d sample messages in %s (GreenMail), migrating to %s (GreenMail).%n",
          seeded, from, to);
      Map<String, String> env = new HashMap<>(parent.env);
      env.put("MAILFERRY_FROM_PASSWORD", password);
      env.put("MAILFERRY_TO_PASSWORD", password);
      List<String> args =
          new ArrayList<>(
              List.of("migrate", "--from", from, "--to", to, "--state-dir", state.toString()));
      if (trainingTlsCert != null) {
        args.addAll(List.of("--trust-cert", trainingTlsCert.toString()));
        Main.run(args.toArray(String[]::new), env, parent.out, parent.err);
      }
      int code = Main.run(args.toArray(String[]::new), env, parent.out, parent.err);
      if (code == ExitCodes.OK) {
        parent.out.println();
        parent.out.println("Destination folders now:");
        Demo.listFolders(to, password, trainingTlsCert)
            .forEach(line -> parent.out.println("  " + line));
        parent.out.println(
            "Run the same migration again and it copies nothing: the ledger knows every message.");
      }
      return code;
    } finally {
      source.stop();
      destination.stop();
      deleteTree(state);
    }
  }

  private static int port(GreenMail server) {
    return server.getImap() != null ? server.getImap().getPort() : server.getImaps().getPort();
  }

  private static void deleteTree(Path root) throws java.io.IOException {
    try (var paths = Files.walk(root)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}

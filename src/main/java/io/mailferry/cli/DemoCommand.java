package io.mailferry.cli;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.mailferry.demo.Demo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "demo",
    description = "Start two in-process IMAP servers (GreenMail), fill one with a sample mailbox, "
        + "migrate it to the other and print the report. Needs no server of your own.")
final class DemoCommand implements Callable<Integer> {

  @ParentCommand
  MailferryCommand parent;

  @Override
  public Integer call() throws Exception {
    GreenMail source = new GreenMail(new ServerSetup(3143, "127.0.0.1", ServerSetup.PROTOCOL_IMAP).dynamicPort());
    GreenMail destination = new GreenMail(new ServerSetup(3144, "127.0.0.1", ServerSetup.PROTOCOL_IMAP).dynamicPort());
    Path state = Files.createTempDirectory("mailferry-demo-");
    try {
      source.start();
      destination.start();
      String password = "demo-" + Long.toHexString(System.nanoTime());
      source.setUser("alice@old.example", "alice", password);
      destination.setUser("alice@new.example", "alice", password);
      String from = "imap://alice@127.0.0.1:" + source.getImap().getPort();
      String to = "imap://alice@127.0.0.1:" + destination.getImap().getPort();
      int seeded = Demo.seed(from, password);
      parent.out.printf("Demo: %d sample messages in %s (GreenMail), migrating to %s (GreenMail).%n", seeded, from, to);
      Map<String, String> env = new HashMap<>(parent.env);
      env.put("MAILFERRY_FROM_PASSWORD", password);
      env.put("MAILFERRY_TO_PASSWORD", password);
      String[] args = {"migrate", "--from", from, "--to", to, "--state-dir", state.toString()};
      int code = Main.run(args, env, parent.out, parent.err);
      if (code == ExitCodes.OK) {
        parent.out.println();
        parent.out.println("Destination folders now:");
        Demo.listFolders(to, password).forEach(line -> parent.out.println("  " + line));
        parent.out.println("Run the same migration again and it copies nothing: the ledger knows every message.");
      }
      return code;
    } finally {
      source.stop();
      destination.stop();
      deleteTree(state);
    }
  }

  private static void deleteTree(Path root) throws java.io.IOException {
    try (var paths = Files.walk(root)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}

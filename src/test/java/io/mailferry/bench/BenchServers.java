package io.mailferry.bench;

import io.mailferry.demo.SampleMessage;
import io.mailferry.testsupport.BenchCorpus;
import io.mailferry.testsupport.DovecotServer;
import io.mailferry.testsupport.TestMailbox;
import jakarta.mail.MessagingException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The server side of {@code bench/run}: a private Dovecot with a deterministic source mailbox, kept
 * running while the benchmark measures mailferry (and the doveadm reference) against it.
 *
 * <pre>
 *   java -cp TEST_CLASSPATH io.mailferry.bench.BenchServers [MESSAGES [FOLDERS [LOADERS]]]
 * </pre>
 *
 * <ol>
 *   <li>starts a {@link DovecotServer} (SLASH layout: separator '/', no prefix, Maildir LAYOUT=fs)
 *       that allows 50 connections per user and IP;
 *   <li>adds the users {@code src}, {@code dst}, {@code ref}, {@code ref-imapc}, {@code pop} and
 *       {@code popdst} (password {@code bench-USER});
 *   <li>creates and subscribes the corpus folders in {@code src}, then APPENDs {@link BenchCorpus}
 *       (seed 42, MESSAGES messages, default 2000, over FOLDERS folders, default 29) with flags and
 *       INTERNALDATE, using LOADERS parallel connections (default 4; each folder belongs to one
 *       connection, so the UID order in a folder is the corpus order);
 *   <li>prints exactly one line of JSON on stdout (progress goes to stderr): host, port,
 *       certificate, users, message count, total bytes, the Dovecot config and master pid, and the
 *       two reference command lines;
 *   <li>keeps Dovecot running until stdin reaches end-of-file or the JVM gets SIGTERM/SIGINT, then
 *       stops it and deletes its temp directory.
 * </ol>
 *
 * <p>The references run {@code doveadm backup -R} as a copy of {@code src} into a fresh user of the
 * same instance: {@code ref_fs_command} reads src's Maildir directly from disk and copies the files
 * (hard links disabled: the absolute ceiling, no IMAP at all); {@code ref_imapc_command} reads src
 * over IMAP through Dovecot's imapc storage (the same read path as mailferry, but writes locally
 * instead of over IMAP).
 */
public final class BenchServers {

  private static final long SEED = 42;
  private static final String PASSWORD_PREFIX = "bench-";

  /**
   * rst receives the restore of the backup; pop and popdst are for the POP3 leg: bench/run fills
   * pop's INBOX from src with doveadm copy.
   */
  private static final List<String> USERS =
      List.of("src", "dst", "ref", "ref-imapc", "pop", "popdst", "rst");

  private static final SampleMessage POISON =
      new SampleMessage(List.of("-"), new byte[0], Set.of(), java.time.Instant.EPOCH);

  private BenchServers() {}

  public static void main(String[] args) throws Exception {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    int folderCount = args.length > 1 ? Integer.parseInt(args[1]) : 29;
    int loaders = args.length > 2 ? Integer.parseInt(args[2]) : 4;
    // "large": the large-message profile, every message 1-30 MB (BenchCorpus.generateLarge)
    boolean large = args.length > 3 && args[3].equals("large");
    if (count < 0 || folderCount < 1 || loaders < 1) {
      throw new IllegalArgumentException(
          "usage: BenchServers [MESSAGES>=0 [FOLDERS>=1 [LOADERS>=1 [realistic|large]]]]");
    }

    DovecotServer server = DovecotServer.start(DovecotServer.Layout.SLASH, 50);
    CountDownLatch stop = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              stop.countDown();
              closeQuietly(server);
            },
            "bench-servers-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);

    try {
      for (String user : USERS) {
        server.addUser(user, PASSWORD_PREFIX + user);
      }
      long started = System.nanoTime();
      long[] loaded = load(server, count, folderCount, loaders, large);
      System.err.printf(
          Locale.ROOT,
          "bench-servers: loaded %d messages (%.1f MB) in %.1f s%n",
          loaded[0],
          loaded[1] / 1e6,
          (System.nanoTime() - started) / 1e9);

      System.out.println(json(server, loaded[0], loaded[1], folderCount));
      System.out.flush();
    } catch (Throwable t) {
      System.err.println("bench-servers: setup failed: " + t);
      t.printStackTrace();
      System.err.println(server.log());
      System.exit(1); // runs the hook, which stops Dovecot
    }

    // Stdin closed (the bench script exited or closed its pipe) -> stop; SIGTERM/SIGINT -> the hook
    // stops.
    Thread stdinWatcher =
        new Thread(
            () -> {
              try (InputStream in = System.in) {
                byte[] buffer = new byte[256];
                while (in.read(buffer) >= 0) {
                  // ignore whatever is written; only end-of-file matters
                }
              } catch (IOException ignored) {
                // treat like end-of-file
              }
              stop.countDown();
            },
            "bench-servers-stdin");
    stdinWatcher.setDaemon(true);
    stdinWatcher.start();
    stop.await();
    System.err.println("bench-servers: stopping Dovecot");
    System.exit(0); // the shutdown hook closes Dovecot and deletes its directory
  }

  /** Returns {messages, bytes}. */
  private static long[] load(
      DovecotServer server, int count, int folderCount, int loaders, boolean large)
      throws Exception {
    String host = server.host();
    int port = server.imapPort();
    String password = PASSWORD_PREFIX + "src";
    List<List<String>> folders = BenchCorpus.folders(folderCount);
    try (TestMailbox box = TestMailbox.connect(host, port, "src", password)) {
      Set<String> existing = new HashSet<>(box.folders());
      for (List<String> folder : folders) {
        String name = String.join("/", folder);
        if (name.equals("INBOX")) {
          continue;
        }
        if (!existing.contains(name)) {
          try {
            box.createFolder(name);
          } catch (MessagingException e) {
            // auto=subscribe special-use folders (Sent, Drafts, Archive) may already exist
            if (!box.folders().contains(name)) {
              throw e;
            }
          }
        }
        box.subscribe(name);
      }
    }

    List<BlockingQueue<SampleMessage>> queues = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    AtomicLong messages = new AtomicLong();
    AtomicLong bytes = new AtomicLong();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    for (int t = 0; t < loaders; t++) {
      BlockingQueue<SampleMessage> queue =
          new ArrayBlockingQueue<>(large ? 1 : 32); // large: bounded memory
      queues.add(queue);
      Thread thread =
          new Thread(
              () -> {
                try (TestMailbox box = TestMailbox.connect(host, port, "src", password)) {
                  for (SampleMessage m = queue.take(); m != POISON; m = queue.take()) {
                    box.append(m.folderName("/"), m.raw(), m.flags(), m.internalDate());
                    messages.incrementAndGet();
                    bytes.addAndGet(m.raw().length);
                  }
                } catch (Throwable e) {
                  failure.compareAndSet(null, e);
                  // keep draining so the producer never blocks on a dead consumer
                  try {
                    for (SampleMessage m = queue.take(); m != POISON; m = queue.take()) {
                      // discard
                    }
                  } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                  }
                }
              },
              "bench-loader-" + t);
      thread.start();
      threads.add(thread);
    }

    long lastReport = System.nanoTime();
    Iterator<SampleMessage> corpus =
        large
            ? BenchCorpus.generateLarge(SEED, count, folderCount)
            : BenchCorpus.generate(SEED, count, folderCount);
    int produced = 0;
    while (corpus.hasNext() && failure.get() == null) {
      SampleMessage m = corpus.next();
      // Each folder belongs to one loader, so messages keep the corpus order within a folder.
      int owner = Math.floorMod(folders.indexOf(m.folder()), loaders);
      queues.get(owner).put(m);
      produced++;
      if (System.nanoTime() - lastReport > 5_000_000_000L) {
        lastReport = System.nanoTime();
        System.err.printf(Locale.ROOT, "bench-servers: loading %d/%d%n", messages.get(), count);
      }
    }
    for (BlockingQueue<SampleMessage> queue : queues) {
      queue.put(POISON);
    }
    for (Thread thread : threads) {
      thread.join();
    }
    if (failure.get() != null) {
      throw new IllegalStateException(
          "loading failed after " + produced + " messages", failure.get());
    }
    return new long[] {messages.get(), bytes.get()};
  }

  private static String json(DovecotServer server, long messages, long bytes, int folderCount) {
    // mailRoot(user) = ROOT/mail/USER/Maildir, and DovecotServer writes its config to
    // ROOT/dovecot.conf.
    Path root = server.mailRoot("src").getParent().getParent().getParent();
    String config = root.resolve("dovecot.conf").toString();
    String doveadm =
        Files.isExecutable(Path.of("/usr/bin/doveadm")) ? "/usr/bin/doveadm" : "doveadm";
    long dovecotPid =
        ProcessHandle.current()
            .children()
            .filter(p -> p.info().command().map(c -> c.endsWith("/dovecot")).orElse(false))
            .mapToLong(ProcessHandle::pid)
            .findFirst()
            .orElse(-1);
    String srcMaildir = server.mailRoot("src").toString();
    // Without maildir_copy_with_hardlinks=no, dsync would hard-link src's files instead of copying
    // them.
    String refFs =
        doveadm
            + " -c "
            + config
            + " -o maildir_copy_with_hardlinks=no"
            + " backup -R -u ref maildir:"
            + srcMaildir
            + ":LAYOUT=fs";
    String refImapc =
        doveadm
            + " -c "
            + config
            + " -o imapc_host="
            + server.host()
            + " -o imapc_port="
            + server.imapPort()
            + " -o imapc_user=src -o imapc_password="
            + PASSWORD_PREFIX
            + "src"
            + " -o imapc_features=rfc822.size,fetch-headers,modseq -o mail_prefetch_count=20"
            + " backup -R -u ref-imapc imapc:";
    StringBuilder b = new StringBuilder("{");
    field(b, "host", server.host()).append(',');
    b.append("\"imap_port\":").append(server.imapPort()).append(',');
    b.append("\"pop3_port\":").append(server.pop3Port()).append(',');
    field(b, "cert", server.certificatePem().toString()).append(',');
    b.append("\"users\":{");
    List<String> users = USERS;
    for (int i = 0; i < users.size(); i++) {
      field(b, users.get(i), PASSWORD_PREFIX + users.get(i))
          .append(i < users.size() - 1 ? "," : "");
    }
    b.append("},");
    b.append("\"messages\":").append(messages).append(',');
    b.append("\"bytes\":").append(bytes).append(',');
    b.append("\"folders\":").append(folderCount).append(',');
    b.append("\"seed\":").append(SEED).append(',');
    field(b, "dovecot_config", config).append(',');
    b.append("\"dovecot_pid\":").append(dovecotPid).append(',');
    field(b, "src_maildir", srcMaildir).append(',');
    field(b, "ref_fs_command", refFs).append(',');
    field(b, "ref_imapc_command", refImapc);
    return b.append('}').toString();
  }

  private static StringBuilder field(StringBuilder b, String name, String value) {
    b.append('"').append(name).append("\":\"");
    for (char c : value.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"');
  }

  private static void closeQuietly(DovecotServer server) {
    try {
      server.close();
    } catch (RuntimeException e) {
      System.err.println("bench-servers: closing Dovecot failed: " + e);
    }
  }
}

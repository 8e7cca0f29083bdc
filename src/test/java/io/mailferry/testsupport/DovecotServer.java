package io.mailferry.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real, private Dovecot (2.3.x) for integration tests: its own config, base_dir, state_dir, log,
 * passwd-file and mail store in a temp directory, listening only on 127.0.0.1 on free ports. It
 * never touches the system /etc/dovecot or /run/dovecot, so it coexists with a system Dovecot and
 * with other instances.
 *
 * <p>Must run as root (as on CI): Dovecot then drops privileges itself (login/auth processes run as
 * the Debian "dovenull"/"dovecot" users, mail processes as the "mail" user).
 */
public final class DovecotServer implements AutoCloseable {

  public enum Layout {
    /**
     * Separator '/', empty prefix, Maildir with LAYOUT=fs: "Work/Projects" is directory
     * Work/Projects.
     */
    SLASH,
    /**
     * Separator '.', prefix "INBOX." (Courier style), Maildir++: "INBOX.Work.Projects" is
     * ".Work.Projects".
     */
    DOT_INBOX_PREFIX,
    /**
     * Separator '.', prefix "INBOX.", Maildir with LAYOUT=index: folders are directories named by
     * GUID, so a '/' is an ordinary character of a name ("INBOX.a/b" beside "INBOX.a.b"), as on
     * Cyrus or Courier.
     */
    DOT_INDEX,
    /**
     * Separator '/', empty prefix, on Maildir++ ("Work/Projects" is ".Work.Projects"): a name with
     * a '.' cannot be stored, and CREATE answers "NO [CANNOT] Character not allowed in mailbox
     * name: '.'".
     */
    SLASH_MAILDIR_PLUS_PLUS
  }

  private static final String HOST = "127.0.0.1";
  private static final long STARTUP_TIMEOUT_MS = 20_000;
  private static final int START_ATTEMPTS = 3;

  /** Mail files belong to this existing Debian user: Dovecot refuses to access mail as UID 0. */
  private static final String MAIL_USER = "mail";

  private static final List<String> SPECIAL_USE =
      List.of("Sent", "Drafts", "Trash", "Junk", "Archive");

  /**
   * Ports handed out in this JVM and not yet released: avoids two parallel instances picking the
   * same port.
   */
  private static final Set<Integer> RESERVED_PORTS = ConcurrentHashMap.newKeySet();

  private final Layout layout;
  private final Path root;
  private final Path config;
  private final Path usersDir;
  private final Path mailDir;
  private final Path logFile;
  private final Path stdoutFile;
  private final Path certificate;
  private final Path doveadmBinary;
  private int[] ports; // imap, imaps, pop3, pop3s
  private Process process;
  private List<ProcessHandle> processTree = List.of();
  private Thread shutdownHook;
  private NoCondstoreProxy noCondstore; // null: Dovecot's own IMAP port, with CONDSTORE and QRESYNC

  private DovecotServer(Layout layout, Path root, Path doveadmBinary) {
    this.layout = layout;
    this.root = root;
    this.config = root.resolve("dovecot.conf");
    this.usersDir = root.resolve("users");
    this.mailDir = root.resolve("mail");
    this.logFile = root.resolve("dovecot.log");
    this.stdoutFile = root.resolve("dovecot.stdout");
    this.certificate = root.resolve("cert.pem");
    this.doveadmBinary = doveadmBinary;
  }

  /** Dovecot's own default is 10; the tests' leaves room for parallel connections and probes. */
  public static final int DEFAULT_MAX_USER_IP_CONNECTIONS = 20;

  public static DovecotServer start(Layout layout) {
    return start(layout, DEFAULT_MAX_USER_IP_CONNECTIONS);
  }

  public static DovecotServer start(Layout layout, int maxUserIpConnections) {
    Path dovecot = findBinary("dovecot", "/usr/sbin/dovecot", "/usr/local/sbin/dovecot");
    Path doveadm = findBinary("doveadm", "/usr/bin/doveadm", "/usr/local/bin/doveadm");
    if (dovecot == null || doveadm == null) {
      throw new IllegalStateException(
          "Dovecot is not installed: run .ci/run or apt-get install dovecot-imapd dovecot-pop3d");
    }
    if (!"root".equals(System.getProperty("user.name"))) {
      throw new IllegalStateException(
          "DovecotServer needs root (as on CI): Dovecot drops privileges itself");
    }
    DovecotServer server = null;
    try {
      server = new DovecotServer(layout, createRoot(), doveadm);
      server.prepareFiles();
      for (int attempt = 1; ; attempt++) {
        server.ports = reservePorts(4);
        server.writeConfig(maxUserIpConnections);
        if (server.launch(dovecot)) {
          return server;
        }
        // Another process grabbed one of our ports between probing and binding: try fresh ports.
        server.stopProcess();
        server.releasePorts();
        if (attempt == START_ATTEMPTS) {
          throw new IllegalStateException("Dovecot could not bind its ports:\n" + server.log());
        }
      }
    } catch (IOException e) {
      if (server != null) {
        server.close();
      }
      throw new UncheckedIOException(e);
    } catch (RuntimeException | Error e) {
      if (server != null) {
        server.close();
      }
      throw e;
    }
  }

  /**
   * A Dovecot that, on its IMAP port, neither offers nor honours CONDSTORE and QRESYNC (RFC 7162):
   * for tests of what a client does without them. STARTTLS is not offered either (the port is plain
   * text on loopback), and {@link #imapsPort()} is refused: behind it Dovecot still has both.
   *
   * <p>Why a proxy ({@link NoCondstoreProxy}) rather than a setting, as tried with Dovecot 2.3.19:
   *
   * <ul>
   *   <li>{@code imap_capability} set to the default list without CONDSTORE and QRESYNC changes
   *       only what is advertised: {@code ENABLE QRESYNC} still answers "* ENABLED QRESYNC", {@code
   *       SELECT INBOX (CONDSTORE)} still answers [HIGHESTMODSEQ n], and {@code STATUS INBOX
   *       (HIGHESTMODSEQ)} still answers. A client that ignores the capability list would not be
   *       caught.
   *   <li>{@code mail_location ...:INDEX=MEMORY} (no permanent mod-sequences) makes SELECT answer
   *       [NOMODSEQ] and FETCH MODSEQ / CHANGEDSINCE a BAD, but STATUS (HIGHESTMODSEQ) still
   *       answers, with a number that does not move when flags change: worse than no answer.
   *   <li>There is no setting that turns the extension off.
   * </ul>
   *
   * So the IMAP port of this server is a proxy that takes them out of every capability list and
   * answers what uses them as a server without them would: ENABLE leaves them out, the rest is BAD.
   */
  public static DovecotServer startWithoutCondstore(Layout layout, int maxUserIpConnections) {
    DovecotServer server = start(layout, maxUserIpConnections);
    try {
      server.noCondstore = new NoCondstoreProxy(HOST, server.ports[0]);
      return server;
    } catch (IOException e) {
      server.close();
      throw new UncheckedIOException(e);
    }
  }

  /** False for a server from {@link #startWithoutCondstore}. */
  public boolean offersCondstore() {
    return noCondstore == null;
  }

  public String host() {
    return HOST;
  }

  /** Plain IMAP (STARTTLS offered, unless the server is {@link #startWithoutCondstore}). */
  public int imapPort() {
    return noCondstore != null ? noCondstore.port() : ports[0];
  }

  public int imapsPort() {
    if (noCondstore != null) {
      throw new IllegalStateException(
          "a Dovecot without CONDSTORE has no IMAPS port: behind it Dovecot still offers both");
    }
    return ports[1];
  }

  public int pop3Port() {
    return ports[2];
  }

  public int pop3sPort() {
    return ports[3];
  }

  public Layout layout() {
    return layout;
  }

  /** Self-signed certificate (CN/SAN localhost, SAN IP 127.0.0.1) served on all TLS ports. */
  public Path certificatePem() {
    return certificate;
  }

  /**
   * The user's Maildir (INBOX's cur/new/tmp live directly in it). Created by Dovecot at first
   * login.
   */
  public Path mailRoot(String user) {
    return mailDir.resolve(user).resolve("Maildir");
  }

  public void addUser(String user, String password) {
    addUser(user, password, 0, 0);
  }

  /**
   * Adds a user (name may not start with '.'), also while the server runs. Quota limits: 0 =
   * unlimited.
   *
   * <p>Each user gets a one-line passwd-file users/&lt;name&gt; (the passdb/userdb path contains
   * %u). Why not one shared file: Dovecot re-stats a passwd-file at most once per second, so a user
   * appended to a file that was just read stays unknown for up to a second. A new path is always
   * read fresh. For the same reason a user can not be added twice; use a new name instead (and
   * {@link #setQuota} to change a user's limits).
   */
  public void addUser(String user, String password, long quotaStorageKb, long quotaMessages) {
    addUser(user, password, quotaStorageKb, quotaMessages, 0);
  }

  /**
   * As above, and APPENDs of messages larger than {@code maxMailSizeKb} are refused
   * (quota_max_mail_size).
   */
  public synchronized void addUser(
      String user, String password, long quotaStorageKb, long quotaMessages, long maxMailSizeKb) {
    if (!user.matches("[A-Za-z0-9_@+-][A-Za-z0-9._@+-]*")
        || password.isEmpty()
        || password.matches(".*[:\\s].*")) {
      throw new IllegalArgumentException(
          "user/password not representable in a passwd-file: " + user);
    }
    Path file = usersDir.resolve(user);
    if (Files.exists(file)) {
      throw new IllegalArgumentException(
          "user " + user + " already exists (Dovecot may have cached it)");
    }
    writeUser(user, password, quotaStorageKb, quotaMessages, maxMailSizeKb);
  }

  /**
   * Changes a user's quota limits (0 = unlimited) while the server runs, as an admin raising a
   * quota would: the user's passwd-file line is rewritten. Dovecot re-stats a passwd-file at most
   * once per second, so this waits that long; sessions logged in before keep the old limits, new
   * logins get the new ones.
   */
  public synchronized void setQuota(String user, long quotaStorageKb, long quotaMessages) {
    Path file = usersDir.resolve(user);
    try {
      String[] fields = Files.readString(file).strip().split(":", -1);
      String password = fields[1].substring("{PLAIN}".length());
      java.util.regex.Matcher max =
          java.util.regex.Pattern.compile("userdb_quota_max_mail_size=(\\d+)K")
              .matcher(fields[fields.length - 1]);
      writeUser(
          user,
          password,
          quotaStorageKb,
          quotaMessages,
          max.find() ? Long.parseLong(max.group(1)) : 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    sleep(1100);
  }

  /**
   * Adds a user whose mailbox is the given mail location, e.g.
   * "maildir:/some/archive:LAYOUT=fs:UTF-8", to look at a directory written by another program over
   * IMAP. Dovecot reads it as the system user "mail".
   */
  public synchronized void addUserWithMail(String user, String password, String mailLocation) {
    String line = user + ":{PLAIN}" + password + "::::::userdb_mail=" + mailLocation + "\n";
    try {
      Path tmp = usersDir.resolve(".tmp-" + user);
      Files.writeString(tmp, line);
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
      Files.move(tmp, usersDir.resolve(user), StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The system user Dovecot accesses mail as (a directory it should read must belong to it). */
  public static String mailUser() {
    return MAIL_USER;
  }

  private void writeUser(
      String user, String password, long quotaStorageKb, long quotaMessages, long maxMailSizeKb) {
    Path file = usersDir.resolve(user);
    // Dovecot's quota plugin reads quota_rule, quota_rule2, ... and stops at the first missing one.
    List<String> rules = new ArrayList<>();
    if (quotaStorageKb > 0) {
      rules.add("*:storage=" + quotaStorageKb + "K");
    }
    if (quotaMessages > 0) {
      rules.add("*:messages=" + quotaMessages);
    }
    StringBuilder extra = new StringBuilder();
    for (int i = 0; i < rules.size(); i++) {
      extra
          .append(i == 0 ? "" : " ")
          .append("userdb_quota_rule")
          .append(i == 0 ? "" : i + 1)
          .append('=')
          .append(rules.get(i));
    }
    if (maxMailSizeKb > 0) {
      // Any plugin setting can be overridden per user by a userdb field of the same name.
      extra
          .append(extra.isEmpty() ? "" : " ")
          .append("userdb_quota_max_mail_size=")
          .append(maxMailSizeKb)
          .append('K');
    }
    // user:password:uid:gid:gecos:home:shell:extra_fields - uid/gid/home come from the config
    // defaults.
    String line = user + ":{PLAIN}" + password + "::::::" + extra + "\n";
    try {
      // Write then rename, so a concurrent login never reads a half-written file.
      Path tmp = usersDir.resolve(".tmp-" + user);
      Files.writeString(tmp, line);
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs doveadm against this instance and returns its stdout; fails on a non-zero exit. */
  public String doveadm(String... args) {
    List<String> command =
        new ArrayList<>(List.of(doveadmBinary.toString(), "-c", config.toString()));
    command.addAll(Arrays.asList(args));
    return run(command, "doveadm " + String.join(" ", args));
  }

  /**
   * Logged-in IMAP sessions of a user according to anvil ({@code doveadm who}). Anvil is updated
   * asynchronously after login/logout, so poll when waiting for a change.
   */
  public int activeImapConnections(String user) {
    // "doveadm who -1" prints one line per connection: username proto pid ip
    return (int)
        doveadm("who", "-1", user)
            .lines()
            .skip(1)
            .map(line -> line.trim().split("\\s+"))
            .filter(cols -> cols.length >= 2 && cols[0].equals(user) && cols[1].equals("imap"))
            .count();
  }

  /** The Dovecot log (plus anything it printed before opening the log), for diagnostics. */
  public String log() {
    return readQuietly(stdoutFile) + readQuietly(logFile);
  }

  @Override
  public synchronized void close() {
    if (noCondstore != null) {
      try {
        noCondstore.close();
      } catch (IOException ignored) {
        // best effort: the listener is closed either way
      }
    }
    stopProcess();
    releasePorts();
    deleteRecursively(root);
  }

  // ---------------------------------------------------------------- setup

  private static Path createRoot() throws IOException {
    // Unix socket paths under base_dir must stay below ~100 chars, so avoid a deep java.io.tmpdir.
    String tmp = System.getProperty("java.io.tmpdir", "/tmp");
    Path parent = Path.of(tmp.length() > 40 ? "/tmp" : tmp);
    Path root = Files.createTempDirectory(parent, "dovecot-");
    // The auth process runs unprivileged (default_internal_user) and must read the passwd-files.
    Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
    return root;
  }

  private void prepareFiles() throws IOException {
    Files.createDirectories(root.resolve("state"));
    Files.createDirectories(mailDir);
    // Mail processes run as MAIL_USER and create each user's home below mailDir.
    UserPrincipalLookupService lookup = root.getFileSystem().getUserPrincipalLookupService();
    PosixFileAttributeView view = Files.getFileAttributeView(mailDir, PosixFileAttributeView.class);
    view.setOwner(lookup.lookupPrincipalByName(MAIL_USER));
    GroupPrincipal group = lookup.lookupPrincipalByGroupName(MAIL_USER);
    view.setGroup(group);
    Files.createDirectories(usersDir);
    Files.setPosixFilePermissions(usersDir, PosixFilePermissions.fromString("rwxr-xr-x"));
    generateCertificate();
  }

  private void generateCertificate() {
    if (findBinary("openssl", "/usr/bin/openssl", "/usr/local/bin/openssl") == null) {
      throw new IllegalStateException(
          "openssl is not installed: run .ci/run or apt-get install openssl");
    }
    // EC key: generated instantly; SAN so that hostname verification of "localhost" and 127.0.0.1
    // passes.
    run(
        List.of(
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-days",
            "7",
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=DNS:localhost,IP:127.0.0.1",
            "-keyout",
            root.resolve("key.pem").toString(),
            "-out",
            certificate.toString()),
        "openssl req");
  }

  private void writeConfig(int maxUserIpConnections) throws IOException {
    boolean slash = layout == Layout.SLASH || layout == Layout.SLASH_MAILDIR_PLUS_PLUS;
    String location =
        switch (layout) {
          case SLASH -> "maildir:~/Maildir:LAYOUT=fs";
          case DOT_INBOX_PREFIX, SLASH_MAILDIR_PLUS_PLUS -> "maildir:~/Maildir";
          case DOT_INDEX -> "maildir:~/Maildir:LAYOUT=index";
        };
    StringBuilder mailboxes = new StringBuilder();
    for (String name : SPECIAL_USE) {
      // Names are relative to the namespace prefix: "Sent" becomes "INBOX.Sent" in the DOT layout.
      // auto=subscribe: listed and subscribed at once; the folder is physically created on first
      // use.
      mailboxes
          .append("  mailbox ")
          .append(name)
          .append(" {\n    special_use = \\")
          .append(name)
          .append("\n    auto = subscribe\n  }\n");
    }
    String conf =
        """
                # Generated by DovecotServer (mailferry tests). Everything lives below %1$s.
                instance_name = mailferry-test-%2$d
                base_dir = %1$s/run
                state_dir = %1$s/state
                log_path = %1$s/dovecot.log
                auth_verbose = yes
                protocols = imap pop3
                listen = %3$s
                ssl = yes
                ssl_cert = <%1$s/cert.pem
                ssl_key = <%1$s/key.pem
                # Dovecot 2.3 name (2.4: auth_allow_cleartext). Loopback counts as secured anyway.
                disable_plaintext_auth = no
                auth_mechanisms = plain login
                # Fail wrong logins at once: every test connects from 127.0.0.1, so the default 2 s delay plus
                # anvil's per-IP penalty (doubling up to 15 s, disabled below) would slow all later failures.
                auth_failure_delay = 0
                # Dovecot refuses mail access as root (UID below first_valid_uid, default 500).
                mail_uid = %4$s
                mail_gid = %4$s
                first_valid_uid = 1
                first_valid_gid = 1
                mail_location = %5$s
                mail_max_userip_connections = %6$d
                # Throwaway data: skip fsync for speed.
                mail_fsync = never
                mail_plugins = $mail_plugins quota
                passdb {
                  driver = passwd-file
                  args = scheme=PLAIN username_format=%%u %1$s/users/%%u
                }
                userdb {
                  driver = passwd-file
                  args = username_format=%%u %1$s/users/%%u
                  default_fields = home=%1$s/mail/%%u
                }
                namespace inbox {
                  inbox = yes
                  separator = %7$s
                  prefix = %8$s
                %9$s}
                plugin {
                  # The count backend needs quota_vsizes; per-user quota_rule* come from the passwd-file.
                  quota = count:User quota
                  quota_vsizes = yes
                }
                protocol imap {
                  mail_plugins = $mail_plugins imap_quota
                }
                service anvil {
                  unix_listener anvil-auth-penalty {
                    mode = 0
                  }
                }
                service imap-login {
                  inet_listener imap {
                    port = %10$d
                  }
                  inet_listener imaps {
                    port = %11$d
                    ssl = yes
                  }
                }
                service pop3-login {
                  inet_listener pop3 {
                    port = %12$d
                  }
                  inet_listener pop3s {
                    port = %13$d
                    ssl = yes
                  }
                }
                """
            .formatted(
                root,
                ports[0],
                HOST,
                MAIL_USER,
                location,
                maxUserIpConnections,
                slash ? "/" : ".",
                slash ? "" : "INBOX.",
                mailboxes,
                ports[0],
                ports[1],
                ports[2],
                ports[3]);
    Files.writeString(config, conf);
  }

  /** Starts Dovecot and waits until it serves; false if it died because a port was taken. */
  private boolean launch(Path dovecot) throws IOException {
    Files.deleteIfExists(logFile);
    // -F: stay in the foreground so that this Process is the master and we own its lifetime.
    process =
        new ProcessBuilder(dovecot.toString(), "-F", "-c", config.toString())
            .redirectErrorStream(true)
            .redirectOutput(stdoutFile.toFile())
            .start();
    shutdownHook = new Thread(this::stopProcess, "dovecot-shutdown-" + ports[0]);
    Runtime.getRuntime().addShutdownHook(shutdownHook);
    long deadline = System.currentTimeMillis() + STARTUP_TIMEOUT_MS;
    while (System.currentTimeMillis() < deadline) {
      if (!process.isAlive()) {
        if (log().contains("Address already in use")) {
          return false;
        }
        throw new IllegalStateException(
            "Dovecot exited with " + process.exitValue() + ":\n" + log());
      }
      if (isReady()) {
        processTree = process.descendants().toList();
        return true;
      }
      sleep(100);
    }
    throw new IllegalStateException(
        "Dovecot did not come up within " + STARTUP_TIMEOUT_MS + " ms:\n" + log());
  }

  /**
   * Ready once the login processes greet on the plain ports and the TLS ports accept connections.
   */
  private boolean isReady() {
    return greets(ports[0], "* OK")
        && greets(ports[2], "+OK")
        && accepts(ports[1])
        && accepts(ports[3]);
  }

  private static boolean greets(int port, String prefix) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(HOST, port), 1000);
      socket.setSoTimeout(2000);
      InputStream in = socket.getInputStream();
      byte[] expected = prefix.getBytes(StandardCharsets.US_ASCII);
      byte[] actual = in.readNBytes(expected.length);
      return Arrays.equals(expected, actual);
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(HOST, port), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  // ---------------------------------------------------------------- teardown

  private synchronized void stopProcess() {
    if (process == null) {
      return;
    }
    // Snapshot the tree first: once the master is gone its children are re-parented and
    // unreachable.
    List<ProcessHandle> tree = new ArrayList<>(processTree);
    process.descendants().forEach(tree::add);
    process.destroy(); // SIGTERM: the master stops its children and exits (takes ~1-2 s)
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (ProcessHandle child : tree) {
      if (child.isAlive()) {
        child.destroyForcibly();
      }
    }
    process = null;
    if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException alreadyShuttingDown) {
        // the hook runs anyway; nothing to do
      }
    }
    shutdownHook = null;
  }

  private void releasePorts() {
    if (ports != null) {
      Arrays.stream(ports).forEach(RESERVED_PORTS::remove);
    }
  }

  // ---------------------------------------------------------------- helpers

  /**
   * Probes free ports by binding them all at once (so they are distinct), then releases them for
   * Dovecot.
   */
  private static int[] reservePorts(int count) throws IOException {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      int[] result = new int[count];
      int found = 0;
      while (found < count) {
        ServerSocket socket = new ServerSocket();
        sockets.add(socket);
        socket.bind(new InetSocketAddress(HOST, 0));
        if (RESERVED_PORTS.add(socket.getLocalPort())) {
          result[found++] = socket.getLocalPort();
        }
      }
      return result;
    } finally {
      for (ServerSocket socket : sockets) {
        socket.close();
      }
    }
  }

  private static Path findBinary(String name, String... candidates) {
    Stream<Path> fromPath =
        Arrays.stream(System.getenv().getOrDefault("PATH", "").split(":"))
            .filter(dir -> !dir.isEmpty())
            .map(dir -> Path.of(dir, name));
    return Stream.concat(Arrays.stream(candidates).map(Path::of), fromPath)
        .filter(Files::isExecutable)
        .findFirst()
        .orElse(null);
  }

  private String run(List<String> command, String description) {
    try {
      Path out = Files.createTempFile(root, "cmd", ".out");
      Path err = Files.createTempFile(root, "cmd", ".err");
      try {
        Process p =
            new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          throw new IllegalStateException(description + " timed out");
        }
        String stdout = Files.readString(out);
        if (p.exitValue() != 0) {
          throw new IllegalStateException(
              description
                  + " failed with exit code "
                  + p.exitValue()
                  + ":\n"
                  + stdout
                  + Files.readString(err));
        }
        return stdout;
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(description + " interrupted", e);
    }
  }

  private static String readQuietly(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file, StandardCharsets.ISO_8859_1) : "";
    } catch (IOException e) {
      return "(cannot read " + file + ": " + e + ")\n";
    }
  }

  private static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files
          .sorted(Comparator.reverseOrder())
          .forEach(
              path -> {
                try {
                  Files.deleteIfExists(path);
                } catch (IOException ignored) {
                  // best effort: a leftover temp file must not fail the test
                }
              });
    } catch (IOException | UncheckedIOException ignored) {
      // best effort
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for Dovecot", e);
    }
  }
}

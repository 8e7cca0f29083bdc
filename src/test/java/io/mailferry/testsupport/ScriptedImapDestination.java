package io.mailferry.testsupport;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A scripted IMAP server with one empty INBOX, for destination behaviour no real server shows on
 * demand: here, PERMANENTFLAGS that allow only the flags it is given (no \*), and capabilities
 * such as APPENDLIMIT. It records every
 * APPEND: the flag list and the literal's exact bytes. Enough IMAP for mailferry's sink, no more.
 */
public final class ScriptedImapDestination implements AutoCloseable {

  public record Appended(String flags, byte[] raw) {}

  private static final Pattern APPEND = Pattern.compile("(?i)APPEND \\S+ \\(([^)]*)\\).*\\{(\\d+)(\\+?)}$");

  private final ServerSocket listener;
  private final String permanentFlags;
  private final String capabilities;
  private final List<Appended> appended = new CopyOnWriteArrayList<>();

  public ScriptedImapDestination(String permanentFlags) throws IOException {
    this(permanentFlags, "");
  }

  /** @param extraCapabilities advertised besides IMAP4rev1 LITERAL+ UIDPLUS, e.g. "APPENDLIMIT=5000" */
  public ScriptedImapDestination(String permanentFlags, String extraCapabilities) throws IOException {
    this.permanentFlags = permanentFlags;
    this.capabilities = ("IMAP4rev1 LITERAL+ UIDPLUS " + extraCapabilities).strip();
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread t = new Thread(this::acceptLoop, "scripted-imap");
    t.setDaemon(true);
    t.start();
  }

  public int port() {
    return listener.getLocalPort();
  }

  public List<Appended> appended() {
    return List.copyOf(appended);
  }

  private void acceptLoop() {
    while (!listener.isClosed()) {
      try {
        Socket s = listener.accept();
        Thread t = new Thread(() -> serve(s), "scripted-imap-session");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket socket) {
    try (socket; InputStream in = new BufferedInputStream(socket.getInputStream());
        OutputStream out = socket.getOutputStream()) {
      send(out, "* OK [CAPABILITY " + capabilities + "] scripted server ready");
      String line;
      while ((line = readLine(in)) != null) {
        int space = line.indexOf(' ');
        if (space < 0) {
          continue;
        }
        String tag = line.substring(0, space);
        String command = line.substring(space + 1);
        String verb = command.split(" ", 2)[0].toUpperCase();
        switch (verb) {
          case "CAPABILITY" -> send(out, "* CAPABILITY " + capabilities, tag + " OK done");
          case "LIST" -> send(out, command.endsWith("\"\"") ? "* LIST (\\Noselect) \"/\" \"\"" : "* LIST () \"/\" INBOX",
              tag + " OK done");
          case "LSUB" -> send(out, "* LSUB () \"/\" INBOX", tag + " OK done");
          case "SELECT", "EXAMINE" -> send(out, "* FLAGS (" + permanentFlags + ")",
              "* OK [PERMANENTFLAGS (" + permanentFlags + ")] limited", "* " + appended.size() + " EXISTS",
              "* 0 RECENT", "* OK [UIDVALIDITY 7] ok", "* OK [UIDNEXT " + (appended.size() + 1) + "] ok",
              tag + " OK [READ-WRITE] selected");
          case "APPEND" -> append(tag, command, in, out);
          case "LOGOUT" -> {
            send(out, "* BYE bye", tag + " OK done");
            return;
          }
          default -> send(out, tag + " OK done");
        }
      }
    } catch (IOException ignored) {
      // the client went away
    }
  }

  private void append(String tag, String command, InputStream in, OutputStream out) throws IOException {
    Matcher m = APPEND.matcher(command);
    if (!m.find()) {
      send(out, tag + " BAD cannot parse APPEND");
      return;
    }
    int size = Integer.parseInt(m.group(2));
    if (m.group(3).isEmpty()) {
      send(out, "+ go ahead");
    }
    byte[] raw = in.readNBytes(size);
    readLine(in); // the CRLF that ends the command
    appended.add(new Appended(m.group(1), raw));
    send(out, tag + " OK [APPENDUID 7 " + appended.size() + "] stored");
  }

  /** One line without its CRLF (shared with ScriptedImapSource). */
  static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != -1) {
      if (b == '\n') {
        byte[] bytes = line.toByteArray();
        int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, n, StandardCharsets.UTF_8);
      }
      line.write(b);
    }
    return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
  }

  static void send(OutputStream out, String... lines) throws IOException {
    for (String l : lines) {
      out.write((l + "\r\n").getBytes(StandardCharsets.UTF_8));
    }
    out.flush();
  }

  @Override
  public void close() throws IOException {
    listener.close();
  }
}

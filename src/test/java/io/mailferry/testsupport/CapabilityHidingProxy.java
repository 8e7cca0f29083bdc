package io.mailferry.testsupport;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A loopback IMAP proxy that makes a server lack one extension, as an older server does: the
 * capability is taken out of every CAPABILITY list (the greeting's, LOGIN's, the command's), and a
 * command of that name ({@code MOVE} or {@code UID MOVE}) is answered BAD here without reaching the
 * server. So a client that sends it anyway fails instead of passing unnoticed. It hides STARTTLS to
 * read the conversation; use it on loopback, where mailferry allows a password in clear.
 */
public final class CapabilityHidingProxy implements AutoCloseable {

  private static final Pattern LITERAL = Pattern.compile("\\{(\\d+)\\+?}$");

  private final ServerSocket listener;
  private final String targetHost;
  private final int targetPort;
  private final String capability;
  private final AtomicInteger refused = new AtomicInteger();

  public CapabilityHidingProxy(String targetHost, int targetPort, String capability)
      throws IOException {
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    this.capability = capability.toUpperCase(Locale.ROOT);
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    ProxyStreams.daemon("capability-hiding-proxy", this::acceptLoop);
  }

  public int port() {
    return listener.getLocalPort();
  }

  /** How many commands of the hidden extension clients sent all the same. */
  public int refusedCommands() {
    return refused.get();
  }

  private void acceptLoop() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        Socket server = new Socket(targetHost, targetPort);
        ProxyStreams.daemon("capability-hiding-proxy", () -> clientToServer(client, server));
        ProxyStreams.daemon("capability-hiding-proxy", () -> serverToClient(client, server));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void clientToServer(Socket client, Socket server) {
    try (InputStream in = new BufferedInputStream(client.getInputStream());
        OutputStream out = server.getOutputStream()) {
      OutputStream back = client.getOutputStream();
      byte[] line;
      while ((line = ProxyStreams.readLine(in)) != null) {
        String text = new String(line, StandardCharsets.ISO_8859_1).strip();
        String[] words = text.split(" ", 4);
        boolean uid = words.length > 2 && words[1].equalsIgnoreCase("UID");
        String verb = words.length > 1 ? words[uid ? 2 : 1].toUpperCase(Locale.ROOT) : "";
        boolean hidden = verb.equals(capability);
        // A command goes on after each of its literals (LITERAL+: no continuation asked).
        while (true) {
          if (!hidden) {
            out.write(line);
          }
          Matcher literal = LITERAL.matcher(text);
          if (!literal.find()) {
            break;
          }
          byte[] bytes = in.readNBytes(Integer.parseInt(literal.group(1)));
          if (!hidden) {
            out.write(bytes);
          }
          line = ProxyStreams.readLine(in);
          if (line == null) {
            return;
          }
          text = new String(line, StandardCharsets.ISO_8859_1).strip();
        }
        out.flush();
        if (hidden) {
          refused.incrementAndGet();
          synchronized (client) {
            back.write(
                (words[0] + " BAD Unknown command " + verb + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            back.flush();
          }
        }
      }
    } catch (IOException ignored) {
      // cut, or the client went away
    } finally {
      ProxyStreams.closeQuietly(client);
      ProxyStreams.closeQuietly(server);
    }
  }

  private void serverToClient(Socket client, Socket server) {
    try (InputStream in = new BufferedInputStream(server.getInputStream())) {
      OutputStream out = client.getOutputStream();
      byte[] line;
      while ((line = ProxyStreams.readLine(in)) != null) {
        String text = new String(line, StandardCharsets.ISO_8859_1);
        if (text.toUpperCase(Locale.ROOT).contains("CAPABILITY")) {
          text =
              text.replaceAll("(?i) (STARTTLS|" + Pattern.quote(capability) + ")(?=[ \\]\\r])", "");
        }
        byte[] literalBytes = new byte[0];
        Matcher literal = LITERAL.matcher(text.strip());
        if (literal.find()) {
          literalBytes = in.readNBytes(Integer.parseInt(literal.group(1)));
        }
        synchronized (client) {
          out.write(text.getBytes(StandardCharsets.ISO_8859_1));
          out.write(literalBytes);
          out.flush();
        }
      }
    } catch (IOException ignored) {
      // cut, or the server went away
    } finally {
      ProxyStreams.closeQuietly(client);
      ProxyStreams.closeQuietly(server);
    }
  }

  @Override
  public void close() throws IOException {
    listener.close();
  }
}

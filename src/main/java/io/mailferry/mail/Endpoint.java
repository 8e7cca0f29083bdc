package io.mailferry.mail;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;

/**
 * One side of a transfer, parsed from {@code imap[s]://USER@HOST[:PORT]}. Holds no secret: a
 * password in the URL is refused, so it can never reach job parameters or the process list. A local
 * archive (restore's source) is {@code file:///ABSOLUTE/DIR}: its host is the directory, and it has
 * no user, port or secret.
 */
public record Endpoint(Protocol protocol, boolean implicitTls, String user, String host, int port) {

  public enum Protocol {
    IMAP(143, 993),
    POP3(110, 995),
    /** A mailferry archive directory on this machine: no server, no secret. */
    ARCHIVE(0, 0);

    final int plainPort;
    final int tlsPort;

    Protocol(int plainPort, int tlsPort) {
      this.plainPort = plainPort;
      this.tlsPort = tlsPort;
    }
  }

  /** A local archive directory, by its absolute path. */
  public static Endpoint archive(Path dir) {
    return new Endpoint(
        Protocol.ARCHIVE, false, "", dir.toAbsolutePath().normalize().toString(), 0);
  }

  /** Parses a URL; {@code side} ("source" or "destination") names the side in the error. */
  public static Endpoint parse(String url, String side) {
    if (url.regionMatches(true, 0, "file:", 0, 5)) {
      try {
        URI uri = new URI(url);
        if (uri.getPath() == null || !uri.getPath().startsWith("/")) {
          throw new IllegalArgumentException("not an absolute path");
        }
        return archive(Path.of(uri.getPath()));
      } catch (URISyntaxException | IllegalArgumentException e) {
        throw new MailferryException.BadUsage(
            "The " + side + " '" + url + "' is not a URL like file:///path/to/archive.");
      }
    }
    // First of all, so that no later message can echo a password typed into the URL.
    if (hasPassword(url)) {
      throw new MailferryException.BadUsage(
          "Put no password in the "
              + side
              + " URL: use MAILFERRY_"
              + (side.equals("source") ? "FROM" : "TO")
              + "_PASSWORD, a password file or a password command.");
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new MailferryException.BadUsage(
          "The " + side + " '" + url + "' is not a URL like imaps://user@host:993.");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    Protocol protocol;
    boolean tls;
    switch (scheme) {
      case "imap" -> {
        protocol = Protocol.IMAP;
        tls = false;
      }
      case "imaps" -> {
        protocol = Protocol.IMAP;
        tls = true;
      }
      case "pop3" -> {
        protocol = Protocol.POP3;
        tls = false;
      }
      case "pop3s" -> {
        protocol = Protocol.POP3;
        tls = true;
      }
      default ->
          throw new MailferryException.BadUsage(
              "The "
                  + side
                  + " '"
                  + url
                  + "' must start with imap://, imaps://, pop3:// or pop3s://.");
    }
    String rawUser = uri.getRawUserInfo();
    if (rawUser == null || rawUser.isEmpty() || uri.getHost() == null) {
      throw new MailferryException.BadUsage(
          "The "
              + side
              + " '"
              + url
              + "' needs a user and a host, like "
              + scheme
              + "://user@host.");
    }
    if (uri.getPath() != null && !uri.getPath().isEmpty() && !uri.getPath().equals("/")) {
      throw new MailferryException.BadUsage(
          "The " + side + " '" + url + "' must not have a path; select folders with --include.");
    }
    // URLDecoder decodes HTML forms, where '+' is a space; in a URL's user part it is a '+'.
    String user = URLDecoder.decode(rawUser.replace("+", "%2B"), StandardCharsets.UTF_8);
    int port = uri.getPort() > 0 ? uri.getPort() : (tls ? protocol.tlsPort : protocol.plainPort);
    return new Endpoint(protocol, tls, user, uri.getHost(), port);
  }

  /** user:password@ in the authority: everything before the last '@' of it, holding a ':'. */
  private static boolean hasPassword(String url) {
    int start = url.indexOf("://");
    if (start < 0) {
      return false;
    }
    String rest = url.substring(start + 3);
    int slash = rest.indexOf('/');
    String authority = slash < 0 ? rest : rest.substring(0, slash);
    int at = authority.lastIndexOf('@');
    return at > 0 && authority.substring(0, at).contains(":");
  }

  /** The account as it appears in logs, reports and the ledger: never a secret. */
  public String account() {
    if (protocol == Protocol.ARCHIVE) {
      return host;
    }
    return user + "@" + host + ":" + port;
  }

  public String scheme() {
    if (protocol == Protocol.ARCHIVE) {
      return "file";
    }
    return protocol.name().toLowerCase(Locale.ROOT) + (implicitTls ? "s" : "");
  }

  /** The archive directory of a file:// endpoint. */
  public Path directory() {
    if (protocol != Protocol.ARCHIVE) {
      throw new IllegalStateException(this + " is not an archive");
    }
    return Path.of(host);
  }

  @Override
  public String toString() {
    if (protocol == Protocol.ARCHIVE) {
      try {
        return new URI("file", "", host, null).toString();
      } catch (URISyntaxException e) {
        throw new IllegalStateException(e);
      }
    }
    return scheme() + "://" + account();
  }

  public boolean isArchive() {
    return protocol == Protocol.ARCHIVE;
  }

  /** Loopback hosts may receive a password without TLS (a local test server, a tunnel). */
  public boolean isLoopback() {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (Exception e) {
      return false;
    }
  }
}

package io.mailferry.scheme;

import io.mailferry.archive.ArchiveLayout;
import io.mailferry.config.Credentials;
import io.mailferry.config.MigrationSettings;
import io.mailferry.imap.ImapConnector;
import io.mailferry.imap.ImapStores;
import io.mailferry.mail.Endpoint;
import io.mailferry.sink.MailSink;
import io.mailferry.sink.archive.ArchiveSink;
import io.mailferry.sink.imap.ImapSink;
import io.mailferry.source.MailSource;
import io.mailferry.source.archive.ArchiveSource;
import io.mailferry.source.imap.ImapSource;
import io.mailferry.source.pop3.Pop3Source;
import io.mailferry.throttle.SideThrottle;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The registry of URL schemes: the one place that knows which source and sink serve which scheme. A
 * new kind of source is a package of its own and one line here. Thread-safe (immutable). Which URLs
 * parse at all is {@link Endpoint#parse}'s to say; it names the schemes to a user.
 */
public final class Schemes {

  private static final Map<String, Scheme> BY_NAME =
      List.of(
              new Scheme("imap", true, true, Schemes::imapSource, Schemes::imapSink),
              new Scheme("imaps", true, true, Schemes::imapSource, Schemes::imapSink),
              new Scheme("pop3", true, true, Schemes::pop3Source, null),
              new Scheme("pop3s", true, true, Schemes::pop3Source, null),
              new Scheme(
                  "file",
                  false,
                  false,
                  Schemes::archiveSource,
                  (s, c) -> new ArchiveSink(s.to().directory())))
          .stream()
          .collect(Collectors.toUnmodifiableMap(Scheme::name, Function.identity()));

  private Schemes() {}

  /** The scheme of a parsed endpoint. */
  public static Scheme of(Endpoint endpoint) {
    Scheme scheme = BY_NAME.get(endpoint.scheme());
    if (scheme == null) {
      // Endpoint.parse refuses what it does not know; a scheme it knows must have its line here.
      throw new IllegalStateException(
          "No source or sink is registered for " + endpoint.scheme() + "://");
    }
    return scheme;
  }

  private static MailSource imapSource(
      MigrationSettings s, Credentials credentials, Path spoolDir) {
    Endpoint from = s.from();
    return new ImapSource(
        new ImapStores(
            new ImapConnector(
                "source",
                from,
                credentials.get(from.account()),
                s.fromConnection(),
                new SideThrottle("source", from, ThrottleLimits.of(s.throttling()))),
            s.maxConnections()),
        spoolDir,
        s.throttling().maxMessageSize());
  }

  private static MailSource pop3Source(
      MigrationSettings s, Credentials credentials, Path spoolDir) {
    Endpoint from = s.from();
    return new Pop3Source(
        from,
        credentials.get(from.account()),
        s.fromConnection(),
        spoolDir,
        new SideThrottle("source", from, ThrottleLimits.of(s.throttling())),
        s.throttling().maxMessageSize());
  }

  private static MailSource archiveSource(
      MigrationSettings s, Credentials credentials, Path spoolDir) {
    return new ArchiveSource(
        new ArchiveLayout(s.from().directory()),
        s.dates(),
        spoolDir,
        s.throttling().maxMessageSize());
  }

  private static MailSink imapSink(MigrationSettings s, Credentials credentials) {
    Endpoint to = s.to();
    return new ImapSink(
        new ImapStores(
            new ImapConnector(
                "destination",
                to,
                credentials.get(to.account()),
                s.toConnection(),
                new SideThrottle("destination", to, ThrottleLimits.of(s.throttling()))),
            s.maxConnections()));
  }
}

package io.mailferry.scheme;

import io.mailferry.config.Credentials;
import io.mailferry.config.MigrationSettings;
import io.mailferry.mail.Endpoint;
import io.mailferry.mail.MailferryException;
import io.mailferry.sink.MailSink;
import io.mailferry.source.MailSource;
import java.nio.file.Path;

/**
 * What one URL scheme is: whether its side needs a secret, whether it is a server at a host, and
 * how its source and sink are built. Immutable; the factories build a new source or sink per call.
 *
 * @param name the scheme as {@link Endpoint#scheme()} gives it
 * @param needsSecret whether a password (or token) is read for this side before the run starts
 * @param hasHost whether it is a server at a host: its messages are paced per host, and remote
 *     workers on other machines reach it; a local directory is read and written by one machine
 * @param sink how the destination is built, or null when the scheme is a source only
 */
public record Scheme(
    String name, boolean needsSecret, boolean hasHost, SourceFactory source, SinkFactory sink) {

  /** Builds the migration's source ({@code settings.from()}) with its connection pool. */
  @FunctionalInterface
  public interface SourceFactory {
    MailSource open(MigrationSettings settings, Credentials credentials, Path spoolDir);
  }

  /** Builds the migration's destination ({@code settings.to()}) with its connection pool. */
  @FunctionalInterface
  public interface SinkFactory {
    MailSink open(MigrationSettings settings, Credentials credentials);
  }

  public MailSource openSource(MigrationSettings settings, Credentials credentials, Path spoolDir) {
    return source.open(settings, credentials, spoolDir);
  }

  public MailSink openSink(MigrationSettings settings, Credentials credentials) {
    if (sink == null) {
      throw new MailferryException.BadUsage(
          "The destination '"
              + settings.to()
              + "' cannot be written to: "
              + name
              + ":// is a source only.");
    }
    return sink.open(settings, credentials);
  }

  /** The host whose message rate this side counts against, or null for a local directory. */
  public String throttledHost(Endpoint endpoint) {
    return hasHost ? endpoint.host() : null;
  }
}

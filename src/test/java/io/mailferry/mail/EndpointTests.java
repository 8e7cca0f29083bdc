package io.mailferry.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EndpointTests {

  private static MailferryException.BadUsage refused(String url, String side) {
    MailferryException.BadUsage e =
        catchThrowableOfType(MailferryException.BadUsage.class, () -> Endpoint.parse(url, side));
    assertThat(e).as("parsing %s", url).isNotNull();
    assertThat(e.exitCode()).isEqualTo(64);
    assertThat(e.getMessage()).doesNotContain("\n").doesNotContain("\r");
    return e;
  }

  @ParameterizedTest
  @CsvSource({
    "imap://alice@mail.example.org,   IMAP, false, 143, imap",
    "imaps://alice@mail.example.org,  IMAP, true,  993, imaps",
    "pop3://alice@mail.example.org,   POP3, false, 110, pop3",
    "pop3s://alice@mail.example.org,  POP3, true,  995, pop3s",
    "IMAPS://alice@mail.example.org,  IMAP, true,  993, imaps"
  })
  void each_scheme_gets_its_default_port(
      String url, Endpoint.Protocol protocol, boolean tls, int port, String scheme) {
    Endpoint e = Endpoint.parse(url, "source");

    assertThat(e.protocol()).isEqualTo(protocol);
    assertThat(e.implicitTls()).isEqualTo(tls);
    assertThat(e.port()).isEqualTo(port);
    assertThat(e.user()).isEqualTo("alice");
    assertThat(e.host()).isEqualTo("mail.example.org");
    assertThat(e.scheme()).isEqualTo(scheme);
  }

  @Test
  void an_explicit_port_wins_over_the_default() {
    Endpoint e = Endpoint.parse("imaps://alice@mail.example.org:10993", "source");

    assertThat(e.port()).isEqualTo(10993);
    assertThat(e.implicitTls()).isTrue();
    assertThat(e.account()).isEqualTo("alice@mail.example.org:10993");
  }

  @Test
  void a_user_that_is_an_email_address_is_written_with_percent_40() {
    Endpoint e = Endpoint.parse("imaps://alice%40example.org@mail.example.org", "destination");

    assertThat(e.user()).isEqualTo("alice@example.org");
    assertThat(e.host()).isEqualTo("mail.example.org");
    assertThat(e.account()).isEqualTo("alice@example.org@mail.example.org:993");
    assertThat(e.toString()).isEqualTo("imaps://alice@example.org@mail.example.org:993");
  }

  @Test
  void a_plus_in_the_user_stays_a_plus() {
    Endpoint e = Endpoint.parse("imaps://bob+lists%40example.org@mail.example.org", "source");

    assertThat(e.user()).isEqualTo("bob+lists@example.org");
    assertThat(e.account()).isEqualTo("bob+lists@example.org@mail.example.org:993");
  }

  @Test
  void the_account_is_user_at_host_colon_port() {
    assertThat(Endpoint.parse("imap://alice@mail.example.org", "source").account())
        .isEqualTo("alice@mail.example.org:143");
    assertThat(Endpoint.parse("pop3s://bob@pop.example.net:1995", "source").account())
        .isEqualTo("bob@pop.example.net:1995");
  }

  @Test
  void a_url_without_scheme_is_refused_with_the_schemes_it_accepts() {
    MailferryException.BadUsage e = refused("alice@mail.example.org", "source");

    assertThat(e.getMessage())
        .isEqualTo(
            "The source 'alice@mail.example.org' must start with imap://, imaps://, pop3:// or pop3s://.");
  }

  @Test
  void an_http_url_is_refused_with_the_schemes_it_accepts() {
    MailferryException.BadUsage e = refused("http://alice@mail.example.org", "destination");

    assertThat(e.getMessage())
        .isEqualTo(
            "The destination 'http://alice@mail.example.org' must start with imap://, imaps://, pop3:// or pop3s://.");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "imaps://mail.example.org",
        "imaps://mail.example.org:993",
        "imaps://@mail.example.org"
      })
  void a_url_without_user_is_refused(String url) {
    MailferryException.BadUsage e = refused(url, "source");

    assertThat(e.getMessage())
        .isEqualTo("The source '" + url + "' needs a user and a host, like imaps://user@host.");
  }

  @Test
  void a_password_in_the_url_is_refused_without_repeating_it() {
    MailferryException.BadUsage source = refused("imap://u:secret@h", "source");
    MailferryException.BadUsage destination =
        refused("imaps://alice:hunter2@mail.example.org:993", "destination");

    assertThat(source.getMessage())
        .doesNotContain("secret")
        .isEqualTo(
            "Put no password in the source URL: use MAILFERRY_FROM_PASSWORD, a password file or a password"
                + " command.");
    assertThat(destination.getMessage())
        .doesNotContain("hunter2")
        .contains("MAILFERRY_TO_PASSWORD");
  }

  @ParameterizedTest
  @CsvSource({
    "imaps://alice:p@ss@mail.example.org,  p@ss",
    "imaps://alice:50%off@mail.example.org, 50%off",
    "http://alice:hunter2@mail.example.org, hunter2"
  })
  void a_password_in_an_otherwise_invalid_url_is_never_repeated(String url, String password) {
    MailferryException.BadUsage e = refused(url, "source");

    assertThat(e.getMessage()).doesNotContain(password);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "imaps://alice@mail.example.org/INBOX",
        "imaps://alice@mail.example.org:993/Work/Projects"
      })
  void a_url_with_a_path_is_refused(String url) {
    MailferryException.BadUsage e = refused(url, "source");

    assertThat(e.getMessage())
        .isEqualTo("The source '" + url + "' must not have a path; select folders with --include.");
  }

  @Test
  void a_trailing_slash_is_not_a_path() {
    Endpoint e = Endpoint.parse("imaps://alice@mail.example.org/", "source");

    assertThat(e.account()).isEqualTo("alice@mail.example.org:993");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"imap://alice@127.0.0.1:3143", "imap://alice@localhost", "imap://alice@[::1]:143"})
  void loopback_hosts_are_loopback(String url) {
    assertThat(Endpoint.parse(url, "source").isLoopback()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"imap://alice@192.0.2.10", "imap://alice@10.0.0.1:143"})
  void other_addresses_are_not_loopback(String url) {
    assertThat(Endpoint.parse(url, "source").isLoopback()).isFalse();
  }

  @Test
  void an_archive_directory_round_trips_through_its_file_url_with_utf8_and_spaces() {
    Endpoint archive = Endpoint.archive(java.nio.file.Path.of("/srv/mail backups/Größe/日本語"));

    Endpoint parsed = Endpoint.parse(archive.toString(), "source");

    assertThat(archive.toString()).startsWith("file:///srv/");
    assertThat(parsed).isEqualTo(archive);
    assertThat(parsed.protocol()).isEqualTo(Endpoint.Protocol.ARCHIVE);
    assertThat(parsed.account()).isEqualTo("/srv/mail backups/Größe/日本語");
    assertThat(parsed.directory()).isEqualTo(java.nio.file.Path.of("/srv/mail backups/Größe/日本語"));
  }

  @Test
  void restore_settings_round_trip_through_job_parameters() {
    var settings =
        new io.mailferry.config.MigrationSettings(
            Endpoint.archive(java.nio.file.Path.of("/srv/archive")),
            Endpoint.parse("imaps://bob@mx.example", "destination"),
            ConnectionSettings.defaults(),
            ConnectionSettings.defaults(),
            java.util.List.of("Work/*"),
            java.util.List.of(),
            java.util.Map.of(),
            false,
            5,
            100,
            io.mailferry.config.SourceDeletion.NONE,
            io.mailferry.config.QuotaPolicy.DEFAULT,
            new io.mailferry.config.Following(false, true, 35),
            new io.mailferry.config.DateWindow(java.time.LocalDate.parse("2024-01-01"), null),
            new io.mailferry.config.Throttling(
                "office365",
                7,
                java.time.Duration.ofMillis(300),
                500_000,
                1_000_000,
                1.5,
                3,
                35L << 20,
                java.time.Duration.ofSeconds(60)));

    var back =
        io.mailferry.job.MigrationParameters.fromParameters(
            io.mailferry.job.MigrationParameters.toParameters(settings, 1));

    assertThat(back).isEqualTo(settings);
  }
}

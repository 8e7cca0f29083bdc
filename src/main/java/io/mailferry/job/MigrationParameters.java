package io.mailferry.job;

import io.mailferry.config.DateWindow;
import io.mailferry.config.Following;
import io.mailferry.config.MigrationSettings;
import io.mailferry.config.QuotaPolicy;
import io.mailferry.config.SourceDeletion;
import io.mailferry.config.Throttling;
import io.mailferry.mail.ConnectionSettings;
import io.mailferry.mail.Endpoint;
import io.mailferry.mail.FolderPath;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;

/**
 * Settings ⇄ job parameters. Only source, destination and a run number identify a job instance; the
 * rest rides along so that a restart, even from another process, sees the same options. No secret
 * is ever a parameter.
 */
public final class MigrationParameters {

  public static final String FROM = "from";
  public static final String TO = "to";
  public static final String RUN = "run";
  static final String MAX_CONNECTIONS = "maxConnections";
  static final String THROTTLING = "throttling";

  /** Caps and rates: a re-run may change them and still continue the same job. */
  private static final java.util.Set<String> NOT_COMPARED =
      java.util.Set.of(MAX_CONNECTIONS, THROTTLING, MigrationLauncher.JOB_NAME_PARAMETER);

  private MigrationParameters() {}

  public static JobParameters toParameters(MigrationSettings s, long run) {
    return new JobParametersBuilder()
        .addString(FROM, s.from().toString())
        .addString(TO, s.to().toString())
        .addLong(RUN, run)
        .addString("include", String.join("\n", s.includes()), false)
        .addString("exclude", String.join("\n", s.excludes()), false)
        .addString("folderMap", joinMap(s.folderMap()), false)
        .addString("includeDeleted", String.valueOf(s.includeDeleted()), false)
        .addString(MAX_CONNECTIONS, String.valueOf(s.maxConnections()), false)
        .addString("maxFailures", String.valueOf(s.maxFailures()), false)
        .addString("fromConnection", connection(s.fromConnection()), false)
        .addString("toConnection", connection(s.toConnection()), false)
        .addString("sourceDeletion", s.sourceDeletion().toString(), false)
        .addString("quotaPolicy", s.quota().toString(), false)
        .addString("following", s.following().toString(), false)
        .addString("dates", s.dates().toString(), false)
        .addString(THROTTLING, s.throttling().toString(), false)
        .toJobParameters();
  }

  public static MigrationSettings fromParameters(JobParameters p) {
    return new MigrationSettings(
        Endpoint.parse(p.getString(FROM), "source"),
        Endpoint.parse(p.getString(TO), "destination"),
        connection(p.getString("fromConnection")),
        connection(p.getString("toConnection")),
        lines(p.getString("include")),
        lines(p.getString("exclude")),
        splitMap(p.getString("folderMap")),
        Boolean.parseBoolean(p.getString("includeDeleted")),
        Integer.parseInt(p.getString(MAX_CONNECTIONS)),
        Long.parseLong(p.getString("maxFailures")),
        SourceDeletion.parse(p.getString("sourceDeletion")),
        QuotaPolicy.parse(p.getString("quotaPolicy")),
        following(p),
        DateWindow.parse(p.getString("dates")),
        Throttling.parse(p.getString(THROTTLING)));
  }

  /** A job stored before issue 19 has "mirror" alone: it followed flags only into an archive. */
  private static Following following(JobParameters p) {
    String stored = p.getString("following");
    if (stored != null) {
      return Following.parse(stored);
    }
    Following d = Following.defaults();
    return new Following(
        d.flags(), Boolean.parseBoolean(p.getString("mirror")), d.maxDeletePercent());
  }

  /**
   * Whether two parameter sets hold the same values (JobParameter equality is by name only),
   * connection caps and rates aside: changing those must not prevent resuming.
   */
  public static boolean sameValues(JobParameters a, JobParameters b) {
    return values(a).equals(values(b));
  }

  private static Map<String, Object> values(JobParameters p) {
    Map<String, Object> out = new java.util.TreeMap<>();
    p.parameters()
        .forEach(
            param -> {
              if (!NOT_COMPARED.contains(param.name())) {
                out.put(param.name(), param.value());
              }
            });
    return out;
  }

  private static String connection(ConnectionSettings c) {
    return c.allowPlaintext()
        + "\n"
        + c.xoauth2()
        + "\n"
        + (c.trustCert() == null ? "" : c.trustCert())
        + "\n"
        + c.ioTimeout().toSeconds();
  }

  private static ConnectionSettings connection(String s) {
    String[] parts = s.split("\n", -1);
    ConnectionSettings c =
        ConnectionSettings.defaults()
            .withAllowPlaintext(Boolean.parseBoolean(parts[0]))
            .withXoauth2(Boolean.parseBoolean(parts[1]));
    c = c.withIoTimeout(java.time.Duration.ofSeconds(Long.parseLong(parts[3])));
    return parts[2].isEmpty() ? c : c.withTrustCert(Path.of(parts[2]));
  }

  private static List<String> lines(String s) {
    return s == null || s.isEmpty() ? List.of() : Arrays.asList(s.split("\n"));
  }

  private static String joinMap(Map<FolderPath, FolderPath> map) {
    StringBuilder out = new StringBuilder();
    map.forEach((k, v) -> out.append(out.isEmpty() ? "" : "\n").append(k).append('=').append(v));
    return out.toString();
  }

  private static Map<FolderPath, FolderPath> splitMap(String s) {
    Map<FolderPath, FolderPath> map = new LinkedHashMap<>();
    for (String line : lines(s)) {
      int eq = line.indexOf('=');
      map.put(FolderPath.parse(line.substring(0, eq)), FolderPath.parse(line.substring(eq + 1)));
    }
    return map;
  }
}

package io.mailferry.sink;

import java.util.Map;

/**
 * One quota root as GETQUOTAROOT reports it (RFC 9208, formerly RFC 2087): per resource, usage and
 * limit. STORAGE counts units of 1024 octets, MESSAGE counts messages.
 */
public record QuotaRoot(String name, Map<String, Usage> resources) {

  public static final String STORAGE = "STORAGE";
  public static final String MESSAGE = "MESSAGE";

  public record Usage(long usage, long limit) {}

  public QuotaRoot {
    resources = Map.copyOf(resources);
  }

  /** The resource's usage and limit, or null when the root does not limit it. */
  public Usage resource(String resource) {
    return resources.get(resource);
  }
}

package io.mailferry.jobfile;

import java.util.Map;

/**
 * One migration of a job file: its options as written (key without dashes → value), with the
 * secret references of both sides (null: the command line's defaults, e.g. MAILFERRY_FROM_PASSWORD).
 *
 * @param label how the summary names it: the from-user of a bulk row, or the job's name
 * @param at its entry in the job file or its CSV line
 */
public record AccountSpec(String label, Position at, Map<String, OptionValue> options, SecretRef fromSecret,
    SecretRef toSecret) {

  public AccountSpec {
    options = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(options));
  }
}

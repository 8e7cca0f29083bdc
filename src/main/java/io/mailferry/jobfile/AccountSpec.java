package io.mailferry.jobfile;

import java.util.Map;

/**
 * One migration of a job file: its options as written (key without dashes → value), with the secret
 * references of both sides (null: the command line's defaults, e.g. MAILFERRY_FROM_PASSWORD).
 *
 * @param label how the summary names it: the from-user of a bulk row, or the job's name
 * @param at its entry in the job file or its CSV line
 * @param refusal why this account cannot run, one sentence with its line (a bulk account whose user
 *     name would lead a path outside its directory): it fails alone, with 78; null when it can run
 */
public record AccountSpec(
    String label,
    Position at,
    Map<String, OptionValue> options,
    SecretRef fromSecret,
    SecretRef toSecret,
    String refusal) {

  public AccountSpec {
    options = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(options));
  }
}

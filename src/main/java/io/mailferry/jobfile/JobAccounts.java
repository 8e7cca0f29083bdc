package io.mailferry.jobfile;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The migrations of a job file: the file's options and secrets, and in a bulk job each account
 * entry on top of them: its users put into the servers' URLs, {from_user} and {to_user} filled in.
 */
final class JobAccounts {

  /** A bulk account as written: a YAML list item or a CSV line. */
  record Entry(
      Position at,
      Map<String, String> users,
      Map<String, Position> userAt,
      Map<String, OptionValue> options,
      Map<String, SecretRef> secrets) {}

  private final Map<String, OptionValue> options;
  private final Map<String, SecretRef> secrets;
  private final List<Problem> problems;

  JobAccounts(
      Map<String, OptionValue> options, Map<String, SecretRef> secrets, List<Problem> problems) {
    this.options = options;
    this.secrets = secrets;
    this.problems = problems;
  }

  AccountSpec single(String name, Position at) {
    requireEndpoints(options, at);
    return new AccountSpec(
        name, at, options, secrets.get("from-secret"), secrets.get("to-secret"), null);
  }

  List<AccountSpec> bulk(List<Entry> entries, Position top) {
    if (entries.isEmpty() && problems.isEmpty()) {
      problems.add(
          new Problem(
              top, "accounts", "a bulk job lists at least one account (accounts: or csv:)."));
    }
    List<AccountSpec> accounts = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (Entry entry : entries) {
      String fromUser = entry.users().get("from-user");
      String toUser = entry.users().getOrDefault("to-user", fromUser);
      Map<String, OptionValue> merged = new LinkedHashMap<>(options);
      merged.putAll(entry.options());
      if (fromUser != null) {
        withUser(merged, "from", fromUser, entry.userAt().get("from-user"));
      }
      if (toUser != null) {
        withUser(
            merged,
            "to",
            toUser,
            entry.userAt().getOrDefault("to-user", entry.userAt().get("from-user")));
      }
      requireEndpoints(merged, entry.at());
      Map<String, String> users = new LinkedHashMap<>();
      if (fromUser != null) {
        users.put("from-user", fromUser);
        users.put("to-user", toUser);
      }
      Placeholders fill = new Placeholders(users);
      SecretRef from = entry.secrets().getOrDefault("from-secret", secrets.get("from-secret"));
      SecretRef to = entry.secrets().getOrDefault("to-secret", secrets.get("to-secret"));
      quotedPlaceholders(from, "from-secret");
      quotedPlaceholders(to, "to-secret");
      String refusal = refusal(fill, merged, from, to);
      Map<String, OptionValue> resolved = new LinkedHashMap<>();
      if (refusal == null) {
        merged.forEach((key, value) -> resolved.put(key, value.map(fill::inText)));
      } else {
        resolved.putAll(merged); // this account will not run: its users go nowhere
      }
      String label = fromUser != null ? fromUser : String.valueOf(first(resolved.get("from")));
      OptionValue fromUrl = resolved.get("from");
      OptionValue toUrl = resolved.get("to");
      if (refusal == null
          && fromUrl != null
          && toUrl != null
          && !seen.add(first(fromUrl) + " → " + first(toUrl))) {
        problems.add(
            new Problem(
                entry.at(),
                null,
                "the same account twice (" + first(fromUrl) + " → " + first(toUrl) + ")."));
      }
      accounts.add(
          new AccountSpec(
              label,
              entry.at(),
              resolved,
              refusal == null ? fill(fill, from) : from,
              refusal == null ? fill(fill, to) : to,
              refusal == null ? null : entry.at() + ": " + refusal));
    }
    return accounts;
  }

  /** A command gets each user as one shell word; a file path or variable name gets it as it is. */
  private static SecretRef fill(Placeholders fill, SecretRef ref) {
    if (ref == null) {
      return null;
    }
    return ref.with(
        ref.kind() == SecretRef.Kind.COMMAND
            ? fill.inCommand(ref.value())
            : fill.inText(ref.value()));
  }

  /**
   * Why this account's users cannot go into the paths of its values or its secrets' names, or null.
   */
  private static String refusal(
      Placeholders fill, Map<String, OptionValue> options, SecretRef from, SecretRef to) {
    for (var option : options.entrySet()) {
      for (String value : option.getValue().values()) {
        String refusal = fill.pathRefusal(value);
        if (refusal != null) {
          return option.getKey() + ": " + refusal;
        }
      }
    }
    String refusal = secretRefusal(fill, from);
    if (refusal != null) {
      return "from-secret: " + refusal;
    }
    refusal = secretRefusal(fill, to);
    return refusal == null ? null : "to-secret: " + refusal;
  }

  private static String secretRefusal(Placeholders fill, SecretRef ref) {
    return ref == null
        ? null
        : switch (ref.kind()) {
          case FILE -> fill.pathRefusal(ref.value());
          case ENV -> fill.variableRefusal(ref.value());
          case COMMAND -> null; // each user is one shell-quoted word
        };
  }

  private void quotedPlaceholders(SecretRef ref, String key) {
    if (ref != null
        && ref.kind() == SecretRef.Kind.COMMAND
        && Placeholders.quotedPlaceholder(ref.value())) {
      problems.add(
          new Problem(
              ref.at(),
              key,
              "write {from_user} and {to_user} outside quotes: mailferry puts each "
                  + "user into the command as one shell-quoted word."));
    }
  }

  private void requireEndpoints(Map<String, OptionValue> opts, Position at) {
    for (String side : List.of("from", "to")) {
      if (!opts.containsKey(side)) {
        problems.add(
            new Problem(
                at,
                side,
                "missing: the "
                    + (side.equals("from") ? "source" : "destination")
                    + (side.equals("from")
                        ? " URL (imaps://user@host)."
                        : " (an imaps:// URL, or a directory for a backup).")));
      }
    }
  }

  /**
   * In a bulk job, {@code from: imaps://old.example.org} names the server and each account its
   * user: imaps://alice@old.example.org. A backup's directory {@code to} takes {to_user} instead.
   */
  private void withUser(
      Map<String, OptionValue> merged, String side, String user, Position userAt) {
    OptionValue base = merged.get(side);
    if (base == null || !first(base).contains("://")) {
      return;
    }
    String url = first(base);
    int start = url.indexOf("://") + 3;
    int slash = url.indexOf('/', start);
    String authority = slash < 0 ? url.substring(start) : url.substring(start, slash);
    if (authority.contains("@")) {
      problems.add(
          new Problem(
              base.at(),
              side,
              "names a user, but the accounts give the users: write "
                  + url.substring(0, start)
                  + authority.substring(authority.lastIndexOf('@') + 1)
                  + "."));
      return;
    }
    String encoded = URLEncoder.encode(user, StandardCharsets.UTF_8).replace("+", "%20");
    merged.put(
        side,
        new OptionValue(
            List.of(url.substring(0, start) + encoded + "@" + url.substring(start)),
            false,
            userAt));
  }

  private static String first(OptionValue value) {
    return value == null || value.values().isEmpty() ? null : value.values().get(0);
  }
}

package io.mailferry.jobfile;

import io.mailferry.mail.Printable;
import java.util.Map;

/**
 * {from_user} and {to_user} in a bulk job's values. The users come from a CSV that someone else may
 * have written, so what they become is decided here: in a password command a shell-quoted word
 * (never shell text), in a path a single path segment (never /, .., a NUL or a control character,
 * which would lead outside the directory the job file names).
 */
final class Placeholders {

  private static final Map<String, String> NAMES =
      Map.of("from-user", "{from_user}", "to-user", "{to_user}");

  private final Map<String, String> users;

  /**
   * @param users the account's users by key (from-user, to-user)
   */
  Placeholders(Map<String, String> users) {
    this.users = users;
  }

  /** The value with each placeholder replaced by its user as it is. */
  String inText(String value) {
    return replace(value, false);
  }

  /** The command with each placeholder replaced by its user as one shell word. */
  String inCommand(String command) {
    return replace(command, true);
  }

  /**
   * Why this value cannot take the account's users into a path, or null when it can (or has no
   * placeholder).
   */
  String pathRefusal(String value) {
    for (var user : users.entrySet()) {
      String placeholder = NAMES.get(user.getKey());
      if (placeholder != null && value.contains(placeholder) && !isPathSegment(user.getValue())) {
        return "the user name '"
            + Printable.escape(user.getValue())
            + "' cannot go into the path "
            + value
            + ": a name in a path may not contain /, .., a NUL or a control character.";
      }
    }
    return null;
  }

  /**
   * Why this env: reference cannot take the account's users into its variable name, or null. A user
   * is a plain name there too: env:{from_user} must not read MAILFERRY_DB_PASSWORD x.
   */
  String variableRefusal(String name) {
    String filled = inText(name);
    if (filled.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      return null;
    }
    String user =
        users.entrySet().stream()
            .filter(u -> name.contains(NAMES.get(u.getKey())))
            .map(Map.Entry::getValue)
            .filter(u -> !u.matches("[A-Za-z0-9_]*"))
            .findFirst()
            .orElse(filled);
    return "the user name '"
        + Printable.escape(user)
        + "' cannot go into the variable name "
        + name
        + ": a name there is letters, digits and _.";
  }

  /**
   * A command template whose placeholder stands inside quotes: mailferry quotes the user itself,
   * and its quotes inside the template's "…" would leave the name to the shell again.
   */
  static boolean quotedPlaceholder(String command) {
    char quote = 0;
    for (int i = 0; i < command.length(); i++) {
      char c = command.charAt(i);
      if (quote != '\'' && c == '\\') {
        i++;
      } else if (quote == 0 && (c == '\'' || c == '"')) {
        quote = c;
      } else if (quote != 0 && c == quote) {
        quote = 0;
      } else if (quote != 0 && placeholderAt(command, i) != null) {
        return true;
      }
    }
    return false;
  }

  static boolean isPathSegment(String name) {
    if (name.isEmpty() || name.equals(".") || name.contains("..") || name.contains("/")) {
      return false;
    }
    return Printable.escape(name)
        .equals(name); // no control character (NUL, ESC, a newline, bidi controls)
  }

  /** POSIX sh: a word of safe characters as it is, anything else in single quotes (a ' as '\''). */
  static String shellWord(String s) {
    if (!s.isEmpty()
        && s.chars()
            .allMatch(
                c -> c < 0x80 && (Character.isLetterOrDigit(c) || "@%+=:,./_-".indexOf(c) >= 0))) {
      return s;
    }
    return "'" + s.replace("'", "'\\''") + "'";
  }

  /** One pass, so that a user name holding "{to_user}" is never replaced again. */
  private String replace(String value, boolean shell) {
    StringBuilder out = new StringBuilder(value.length());
    int i = 0;
    while (i < value.length()) {
      String user = value.charAt(i) == '{' ? userAt(value, i) : null;
      if (user == null) {
        out.append(value.charAt(i++));
        continue;
      }
      String key = placeholderAt(value, i);
      out.append(shell ? shellWord(user) : user);
      i += NAMES.get(key).length();
    }
    return out.toString();
  }

  /**
   * The user whose placeholder starts at i, or null (none there, or the account has no such user).
   */
  private String userAt(String value, int i) {
    String key = placeholderAt(value, i);
    return key == null ? null : users.get(key);
  }

  private static String placeholderAt(String value, int i) {
    for (var name : NAMES.entrySet()) {
      if (value.startsWith(name.getValue(), i)) {
        return name.getKey();
      }
    }
    return null;
  }
}

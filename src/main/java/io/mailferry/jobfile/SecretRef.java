package io.mailferry.jobfile;

/**
 * Where a secret comes from, never the secret itself: {@code env:VARIABLE}, {@code file:PATH} or
 * {@code command:SHELL COMMAND}. The same syntax in YAML and in a bulk CSV.
 */
public record SecretRef(Kind kind, String value, Position at) {

  public enum Kind {
    ENV,
    FILE,
    COMMAND
  }

  static final String SYNTAX = "env:VARIABLE, file:PATH or command:COMMAND";

  /**
   * @throws IllegalArgumentException with a sentence for the user
   */
  static SecretRef parse(String text, Position at) {
    int colon = text.indexOf(':');
    String prefix = colon < 0 ? "" : text.substring(0, colon).trim();
    String value = colon < 0 ? "" : text.substring(colon + 1).trim();
    Kind kind =
        switch (prefix) {
          case "env" -> Kind.ENV;
          case "file" -> Kind.FILE;
          case "command" -> Kind.COMMAND;
          // Never echo the text: it may be a password written here by mistake.
          default ->
              throw new IllegalArgumentException(
                  "not a secret reference: write "
                      + SYNTAX
                      + " (a job file never holds the secret itself).");
        };
    if (value.isEmpty()) {
      throw new IllegalArgumentException(
          prefix
              + ": needs a "
              + (kind == Kind.ENV ? "variable name" : kind == Kind.FILE ? "path" : "command")
              + ".");
    }
    String name =
        value.replace("{from_user}", "U").replace("{to_user}", "U"); // a bulk job fills those in
    if (kind == Kind.ENV && !name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw new IllegalArgumentException("'" + value + "' is not an environment variable name.");
    }
    return new SecretRef(kind, value, at);
  }

  SecretRef with(String newValue) {
    return new SecretRef(kind, newValue, at);
  }
}

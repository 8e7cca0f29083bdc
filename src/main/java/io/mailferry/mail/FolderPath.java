package io.mailferry.mail;

import java.util.ArrayList;
import java.util.List;

/**
 * A folder as a list of UTF-8 name segments, independent of any server's separator, prefix or
 * modified UTF-7. Printed with '/' between segments, which is how users name folders.
 */
public record FolderPath(List<String> segments) {

  public static final FolderPath INBOX = new FolderPath(List.of("INBOX"));

  public FolderPath {
    segments = List.copyOf(segments);
    if (segments.isEmpty()) {
      throw new IllegalArgumentException("a folder path has at least one segment");
    }
  }

  /** Splits a server-side name on its separator; '\0' means a flat namespace. */
  public static FolderPath of(String name, char separator) {
    if (separator == '\0') {
      return new FolderPath(List.of(name));
    }
    List<String> parts = new ArrayList<>();
    for (String part : name.split(java.util.regex.Pattern.quote(String.valueOf(separator)), -1)) {
      if (!part.isEmpty()) {
        parts.add(part);
      }
    }
    return new FolderPath(parts.isEmpty() ? List.of(name) : parts);
  }

  /** Parses a user-typed path: segments separated by '/'. */
  public static FolderPath parse(String slashed) {
    return of(slashed, '/');
  }

  public boolean isInbox() {
    return segments.size() == 1 && "INBOX".equalsIgnoreCase(segments.get(0));
  }

  public String first() {
    return segments.get(0);
  }

  /** This path with its first {@code n} segments replaced by {@code head}. */
  public FolderPath rebase(int n, FolderPath head) {
    List<String> parts = new ArrayList<>(head.segments);
    parts.addAll(segments.subList(n, segments.size()));
    return new FolderPath(parts);
  }

  public boolean startsWith(FolderPath other) {
    return segments.size() >= other.segments.size()
        && segments.subList(0, other.segments.size()).equals(other.segments);
  }

  public String join(char separator) {
    return String.join(String.valueOf(separator), segments);
  }

  @Override
  public String toString() {
    return join('/');
  }
}

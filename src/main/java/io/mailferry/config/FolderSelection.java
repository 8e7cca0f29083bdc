package io.mailferry.config;

import io.mailferry.mail.FolderPath;
import java.util.List;
import java.util.regex.Pattern;

/**
 * --include / --exclude: globs on UTF-8 folder paths written with '/'. '*' matches any run of
 * characters, '/' included; '?' one character. No include means every folder.
 */
public final class FolderSelection {

  private final List<Pattern> includes;
  private final List<Pattern> excludes;

  public FolderSelection(List<String> includes, List<String> excludes) {
    this.includes = includes.stream().map(FolderSelection::glob).toList();
    this.excludes = excludes.stream().map(FolderSelection::glob).toList();
  }

  public static FolderSelection all() {
    return new FolderSelection(List.of(), List.of());
  }

  public boolean selects(FolderPath path) {
    String name = path.toString();
    boolean in = includes.isEmpty() || includes.stream().anyMatch(p -> p.matcher(name).matches());
    return in && excludes.stream().noneMatch(p -> p.matcher(name).matches());
  }

  static Pattern glob(String glob) {
    StringBuilder regex = new StringBuilder();
    // By code point: an emoji is two UTF-16 chars, and quoting them apart would never match.
    glob.codePoints()
        .forEach(
            c -> {
              switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(Character.toString(c)));
              }
            });
    return Pattern.compile(regex.toString());
  }
}

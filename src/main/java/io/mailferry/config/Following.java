package io.mailferry.config;

/**
 * How a re-run makes the destination follow a mailbox in use (issue 19).
 *
 * @param flags earlier copies take the source's flag changes by a three-way merge (on unless
 *     --no-flag-sync)
 * @param mirror --mirror: what this job copied and the source no longer has is expunged at the
 *     destination (an archive removes its file), and what moved at the source is moved there
 * @param maxDeletePercent --mirror-max-delete: a folder whose mirror pass would expunge more than
 *     this share of its messages in one run is left as it is and reported
 */
public record Following(boolean flags, boolean mirror, int maxDeletePercent) {

  public static final int DEFAULT_MAX_DELETE_PERCENT = 20;

  public static Following defaults() {
    return new Following(true, false, DEFAULT_MAX_DELETE_PERCENT);
  }

  public Following {
    if (maxDeletePercent < 0 || maxDeletePercent > 100) {
      throw new IllegalArgumentException("--mirror-max-delete must be a percentage, 0 to 100.");
    }
  }

  /** The job parameter's form: "flags=true,mirror=false,maxDelete=20". */
  @Override
  public String toString() {
    return "flags=" + flags + ",mirror=" + mirror + ",maxDelete=" + maxDeletePercent;
  }

  public static Following parse(String text) {
    Following f = defaults();
    if (text == null || text.isBlank()) {
      return f;
    }
    boolean flags = f.flags();
    boolean mirror = f.mirror();
    int maxDelete = f.maxDeletePercent();
    for (String part : text.split(",")) {
      String[] kv = part.split("=", 2);
      if (kv.length != 2) {
        continue;
      }
      switch (kv[0]) {
        case "flags" -> flags = Boolean.parseBoolean(kv[1]);
        case "mirror" -> mirror = Boolean.parseBoolean(kv[1]);
        case "maxDelete" -> maxDelete = Integer.parseInt(kv[1]);
        default -> {}
      }
    }
    return new Following(flags, mirror, maxDelete);
  }
}

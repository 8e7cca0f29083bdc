package io.mailferry.jobfile;

import io.mailferry.mail.Printable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * What a job file may be, so that a broken or hostile one ends in one sentence, not in an
 * OutOfMemoryError or minutes of parsing. A real job file is a few KiB; many accounts go in a CSV.
 * SnakeYAML scans a token in time that grows with the square of its length (a 20 MB comment took
 * 241 s), and an alias (*name) stands for its anchor's value as often as it is written.
 */
final class JobFileLimits {

  static final int MAX_BYTES = 1 << 20;

  /** Keeps each token short, and so its scan quick: a 1 MiB comment line alone takes seconds. */
  static final int MAX_LINE = 64 << 10;

  static final int MAX_NESTING = 20;
  static final int MAX_COLLECTION_ALIASES = 20;

  /** The text the file stands for once each alias is replaced by its anchor's value. */
  static final long MAX_EXPANDED = 2L << 20;

  /** A CSV of accounts: 100,000 accounts of 100 characters each fit. */
  static final long MAX_CSV_BYTES = 16L << 20;

  private JobFileLimits() {}

  static LoaderOptions loaderOptions() {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    options.setCodePointLimit(MAX_BYTES);
    options.setNestingDepthLimit(MAX_NESTING);
    options.setMaxAliasesForCollections(MAX_COLLECTION_ALIASES);
    options.setAllowRecursiveKeys(false);
    return options;
  }

  /** Why a file of this size cannot be a job file, or null. */
  static String sizeRefusal(long bytes) {
    return bytes <= MAX_BYTES
        ? null
        : "the file has "
            + kib(bytes)
            + " KiB; a job file has at most "
            + kib(MAX_BYTES)
            + " KiB (many accounts go in a CSV).";
  }

  /** The 1-based number of the first line longer than MAX_LINE, or 0. */
  static int longLine(String text) {
    int line = 1;
    int start = 0;
    for (int i = 0; i <= text.length(); i++) {
      if (i == text.length() || text.charAt(i) == '\n') {
        if (i - start > MAX_LINE) {
          return line;
        }
        line++;
        start = i + 1;
      }
    }
    return 0;
  }

  static String longLineRefusal() {
    return "a line longer than " + kib(MAX_LINE) + " KiB; a job file has short lines.";
  }

  /**
   * Why the document stands for too much text once its aliases are expanded, or null. Walks the
   * nodes as the loader will, each alias as often as it is written, and stops at the bound (an
   * anchor inside its own value makes the walk endless otherwise).
   */
  static String expansionRefusal(Node root) {
    // Counted as pushed, not as popped: a wide anchor inside its own value would fill the deque
    // first.
    long expanded = weight(root);
    Deque<Node> pending = new ArrayDeque<>(List.of(root));
    while (!pending.isEmpty()) {
      for (Node child : children(pending.pop())) {
        expanded += weight(child);
        if (expanded > MAX_EXPANDED) {
          return "its aliases (*name) make it stand for more than "
              + kib(MAX_EXPANDED)
              + " KiB of text; write "
              + "the values out, or put many accounts in a CSV.";
        }
        pending.push(child);
      }
    }
    return null;
  }

  private static long weight(Node node) {
    return 1 + (node instanceof ScalarNode s ? s.getValue().length() : 0);
  }

  private static List<Node> children(Node node) {
    if (node instanceof SequenceNode sequence) {
      return sequence.getValue();
    }
    List<Node> children = new ArrayList<>();
    if (node instanceof MappingNode mapping) {
      for (NodeTuple tuple : mapping.getValue()) {
        children.add(tuple.getKeyNode());
        children.add(tuple.getValueNode());
      }
    }
    return children;
  }

  /**
   * SnakeYAML's words for its own limits (LoaderOptions) in ours; any other error as it says it.
   */
  static String yamlRefusal(String message) {
    String text = message == null ? "" : message;
    if (text.startsWith("Nesting Depth exceeded")) {
      return "nested more than " + MAX_NESTING + " levels deep; a job file needs four at most.";
    }
    if (text.startsWith("Number of aliases for non-scalar nodes exceeds")) {
      return "more than " + MAX_COLLECTION_ALIASES + " aliases (*name) of lists or keys.";
    }
    return "not valid YAML: "
        + Printable.escape(text.strip())
        + (text.strip().endsWith(".") ? "" : ".");
  }

  static String csvSizeRefusal(long bytes) {
    return bytes <= MAX_CSV_BYTES
        ? null
        : "has "
            + kib(bytes)
            + " KiB; an accounts CSV has at most "
            + kib(MAX_CSV_BYTES)
            + " KiB (split the job).";
  }

  private static long kib(long bytes) {
    return (bytes + 1023) / 1024;
  }
}

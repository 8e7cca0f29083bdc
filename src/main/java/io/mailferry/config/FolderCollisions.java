package io.mailferry.config;

import io.mailferry.mail.FolderPath;
import io.mailferry.mail.ImapNamespace;
import io.mailferry.mail.Printable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds, before anything is written, every pair of source folders that would end in one folder
 * (issue 16.2): at the destination ({@code v1.2} and {@code v1_2} both become {@code v1_2} on a
 * '.'-separated server; {@code a/b} and {@code a_b} both {@code a_b} in an archive), or already at
 * the source (two listed folders with one name as the IMAP library decodes it).
 *
 * <p>Two source folders share a destination folder only when that was asked for: both of one
 * special use going to the destination's folder of that use (Outlook's "Sent Items" beside "Sent"),
 * or both named by --folder-map. Every other collision gives the later folder a name of its own,
 * "v1_2 (2)", and its sub-folders follow it. Which folder keeps the name does not depend on the
 * order the server lists them in: the one whose name is unchanged, else the one whose server name
 * sorts first; so a later run picks the same names.
 */
public final class FolderCollisions {

  private FolderCollisions() {}

  /**
   * A mapping as it will be planned.
   *
   * @param note a warning for the report ("merged", "renamed"), or null
   * @param refusal why this folder cannot be copied at all, or null
   */
  public record Resolved(FolderMapper.Mapping mapping, String note, String refusal) {}

  public static List<Resolved> resolve(
      List<FolderMapper.Mapping> mappings, ImapNamespace destination) {
    Resolved[] out = new Resolved[mappings.size()];
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < mappings.size(); i++) {
      order.add(i);
    }
    order.sort(
        Comparator.<Integer>comparingInt(i -> mappings.get(i).destPath().segments().size())
            .thenComparing(i -> !mappings.get(i).destPath().equals(mappings.get(i).source().path()))
            .thenComparing(i -> mappings.get(i).source().serverName()));
    Set<String> natural = new HashSet<>();
    for (FolderMapper.Mapping m : mappings) {
      natural.add(key(m.destName()));
      natural.add(key(m.destPath().toString()));
    }
    Map<String, FolderMapper.Mapping> sourceNames = new HashMap<>();
    Map<String, FolderMapper.Mapping> owners = new HashMap<>();
    Map<FolderPath, FolderPath> renamed =
        new LinkedHashMap<>(); // source path → new destination path
    for (int i : order) {
      FolderMapper.Mapping m = mappings.get(i);
      FolderMapper.Mapping twin = sourceNames.putIfAbsent(m.source().serverName(), m);
      if (twin != null) {
        // Angus decodes modified UTF-7 and encodes it again for every command, so of two names that
        // decode alike ("p&AC8-q" beside "p/q") only one can be opened: say so rather than copy one
        // twice.
        out[i] =
            new Resolved(
                m,
                null,
                "the source lists two folders named "
                    + Printable.escape(m.source().serverName())
                    + " (their names differ only in how they are encoded); this one cannot be told apart and is not copied");
        continue;
      }
      m = followParent(m, renamed, destination);
      FolderMapper.Mapping owner = owners.get(key(m.destName()));
      if (owner == null) {
        owner = owners.get(key(m.destPath().toString()));
      }
      if (owner == null) {
        claim(owners, m);
        out[i] = new Resolved(m, null, null);
        continue;
      }
      if (m.shareable() != null
          && m.shareable().equals(owner.shareable())
          && !m.source().path().equals(owner.source().path())) {
        String why =
            m.shareable().equals("--folder-map")
                ? "both named by --folder-map"
                : "both " + m.shareable() + " folders";
        out[i] =
            new Resolved(
                m,
                label(m)
                    + " and "
                    + label(owner)
                    + " are "
                    + why
                    + ": merged into "
                    + Printable.escape(m.destPath().toString())
                    + ", each keeping its own records",
                null);
        continue;
      }
      FolderMapper.Mapping distinct = distinctName(m, owners, natural, destination);
      claim(owners, distinct);
      renamed.put(m.source().path(), distinct.destPath());
      out[i] =
          new Resolved(
              distinct,
              label(m)
                  + " would share the destination folder "
                  + Printable.escape(m.destPath().toString())
                  + " with "
                  + label(owner)
                  + ": copied into "
                  + Printable.escape(distinct.destPath().toString())
                  + " instead",
              null);
    }
    return List.of(out);
  }

  /** A sub-folder of a renamed folder goes with it: "v1_2 (2)/x", not "v1_2/x (2)". */
  private static FolderMapper.Mapping followParent(
      FolderMapper.Mapping m, Map<FolderPath, FolderPath> renamed, ImapNamespace destination) {
    FolderPath best = null;
    for (FolderPath parent : renamed.keySet()) {
      if (m.source().path().startsWith(parent)
          && !m.source().path().equals(parent)
          && (best == null || parent.segments().size() > best.segments().size())) {
        best = parent;
      }
    }
    if (best == null) {
      return m;
    }
    FolderPath head = renamed.get(best);
    int depth =
        m.destPath().segments().size()
            - (m.source().path().segments().size() - best.segments().size());
    FolderPath dest = m.destPath().rebase(Math.max(depth, 0), head);
    return new FolderMapper.Mapping(m.source(), dest, destination.serverName(dest), m.shareable());
  }

  private static FolderMapper.Mapping distinctName(
      FolderMapper.Mapping m,
      Map<String, FolderMapper.Mapping> owners,
      Set<String> natural,
      ImapNamespace destination) {
    List<String> segments = m.destPath().segments();
    String last = segments.get(segments.size() - 1);
    for (int n = 2; ; n++) {
      List<String> parts = new ArrayList<>(segments.subList(0, segments.size() - 1));
      parts.add(last + " (" + n + ")");
      FolderPath candidate = new FolderPath(parts);
      String name = destination.serverName(candidate);
      if (!owners.containsKey(key(name))
          && !owners.containsKey(key(candidate.toString()))
          && !natural.contains(key(name))
          && !natural.contains(key(candidate.toString()))) {
        return new FolderMapper.Mapping(m.source(), candidate, name, m.shareable());
      }
    }
  }

  /**
   * A destination folder is known by its server name and by its '/'-written path (the ledger's and
   * archive's).
   */
  private static void claim(Map<String, FolderMapper.Mapping> owners, FolderMapper.Mapping m) {
    owners.putIfAbsent(key(m.destName()), m);
    owners.putIfAbsent(key(m.destPath().toString()), m);
  }

  /** INBOX is case-insensitive (RFC 3501 5.1); every other name is compared as it is. */
  private static String key(String name) {
    return name.equalsIgnoreCase("INBOX") ? "INBOX" : name;
  }

  private static String label(FolderMapper.Mapping m) {
    return Printable.escape(m.source().path().toString());
  }
}

package io.mailferry.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * What someone who made an archive can plant in it: links to a secret outside it (in cur/, as a
 * folder), a manifest line without a folder, a plain Maildir's "50%off", a keyword number far
 * beyond 25. Each a few lines of setup on an archive {@link TestArchive} wrote.
 */
public final class HostileArchive {

  /** The bytes a planted link points at: in no output, mailbox or mbox may they appear. */
  public static final String SECRET =
      "-----BEGIN OPENSSH PRIVATE KEY----- b3BlbnNzaC1rZXktdjEAAAAA-secret-4711";

  /**
   * The links planted: one in INBOX's cur/ to a secret file, one folder "Leak" to a Maildir
   * outside.
   */
  public record Planted(Path linkInCur, Path linkedFolder) {}

  private HostileArchive() {}

  /**
   * Puts a secret file and a Maildir holding the secret as a message (with a cur/new/tmp that looks
   * like a folder) in {@code outside}; links INBOX's cur/ entry and the folder Leak to them.
   */
  public static Planted plantLinks(Path archive, Path outside) {
    try {
      Files.createDirectories(outside);
      Path secret = Files.writeString(outside.resolve("id_ed25519"), SECRET + "\n");
      Path maildir = outside.resolve("maildir");
      for (String sub : List.of("cur", "new", "tmp")) {
        Files.createDirectories(maildir.resolve(sub));
      }
      Files.writeString(
          maildir.resolve("cur").resolve("1700000001.M1U1.host,S=80:2,S"),
          "Subject: leaked\r\n\r\n" + SECRET + "\r\n");
      Path link =
          Files.createSymbolicLink(
              archive.resolve("cur").resolve("1700000000.M9U9.mailferry,S=80:2,S"), secret);
      Path folder = Files.createSymbolicLink(archive.resolve("Leak"), maildir);
      return new Planted(link, folder);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Appends a manifest line whose folder is null (the rest of the line as backup writes it). */
  public static void appendNullFolderLine(Path archive) {
    try {
      Files.writeString(
          archive.resolve("mailferry-manifest.jsonl"),
          "{\"folder\":null,\"base\":\"1.M1U1.mailferry\","
              + "\"sha256\":\""
              + "0".repeat(64)
              + "\",\"size\":3,\"flags\":[],\"atSource\":true}\n",
          StandardCharsets.UTF_8,
          java.nio.file.StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Appends {@code n} manifest lines that are not records (not JSON): each one a problem line. */
  public static void appendBadManifestLines(Path archive, int n) {
    try {
      Files.writeString(
          archive.resolve("mailferry-manifest.jsonl"),
          "not a record\n".repeat(n),
          StandardCharsets.UTF_8,
          java.nio.file.StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A folder directory named as a plain Maildir might, "50%off", holding one message. */
  public static Path percentFolder(Path archive) {
    try {
      Path dir = archive.resolve("50%off");
      for (String sub : List.of("cur", "new", "tmp")) {
        Files.createDirectories(dir.resolve(sub));
      }
      Files.writeString(
          dir.resolve("cur").resolve("1700000002.M1U2.host,S=30:2,"),
          "Subject: sale\r\n\r\n50% off\r\n");
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Files under {@code root} (links not followed) whose bytes hold the secret. */
  public static List<Path> filesHoldingTheSecret(Path root) {
    List<Path> out = new ArrayList<>();
    byte[] needle = SECRET.getBytes(StandardCharsets.US_ASCII);
    try {
      Files.walkFileTree(
          root,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              if (attrs.isRegularFile() && contains(Files.readAllBytes(file), needle)) {
                out.add(file);
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
              return FileVisitResult.CONTINUE; // a socket or a file of the server's own: not mail
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  private static boolean contains(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int k = 0; k < needle.length; k++) {
        if (hay[i + k] != needle[k]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}

package io.mailferry.mail;

/**
 * The root of mailferry's failures. Each subtype carries one plain sentence for the user and maps
 * to one documented exit code (sysexits, as doveadm uses them).
 */
public class MailferryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int exitCode;

  public MailferryException(int exitCode, String message, Throwable cause) {
    // A sentence often quotes a server's words: its control characters never reach a terminal or a
    // log.
    super(message == null ? null : Printable.escape(message), cause);
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }

  /** 64: the command line is wrong. */
  public static final class BadUsage extends MailferryException {
    private static final long serialVersionUID = 1L;

    public BadUsage(String message) {
      super(64, message, null);
    }
  }

  /** 78: a setting or a file it names is wrong (password file, folder map, trusted cert). */
  public static final class BadConfiguration extends MailferryException {
    private static final long serialVersionUID = 1L;

    public BadConfiguration(String message) {
      super(78, message, null);
    }

    public BadConfiguration(String message, Throwable cause) {
      super(78, message, cause);
    }
  }

  /** 77: the server refused the login. */
  public static final class LoginRefused extends MailferryException {
    private static final long serialVersionUID = 1L;

    public LoginRefused(String message, Throwable cause) {
      super(77, message, cause);
    }
  }

  /** 69: the host cannot be reached, or its TLS handshake or certificate failed. */
  public static final class Unreachable extends MailferryException {
    private static final long serialVersionUID = 1L;

    public Unreachable(String message, Throwable cause) {
      super(69, message, cause);
    }
  }

  /** 73: the destination is full (OVERQUOTA); resumable once space is freed. */
  public static final class DestinationFull extends MailferryException {
    private static final long serialVersionUID = 1L;

    public DestinationFull(String message, Throwable cause) {
      super(73, message, cause);
    }
  }

  /** 75: a temporary failure (connection lost, interrupted); running again resumes. */
  public static final class Temporary extends MailferryException {
    private static final long serialVersionUID = 1L;

    public Temporary(String message, Throwable cause) {
      super(75, message, cause);
    }
  }

  /**
   * 76 (EX_PROTOCOL): a server broke the protocol (a response beyond every sane bound, a message
   * far larger than it announced). Not temporary: running again would meet the same server.
   */
  public static final class ProtocolViolation extends MailferryException {
    private static final long serialVersionUID = 1L;

    public ProtocolViolation(String message, Throwable cause) {
      super(76, message, cause);
    }
  }
}

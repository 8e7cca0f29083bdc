package io.mailferry.cli;

/**
 * Exit codes, sysexits-style as Dovecot's doveadm uses them. Scripts depend on these: keep them.
 */
public final class ExitCodes {

  /** Everything was copied. */
  public static final int OK = 0;

  /** The run finished, but some messages failed; the report lists them. */
  public static final int SOME_FAILED = 1;

  /** Bad usage: an unknown option, a malformed URL. */
  public static final int USAGE = 64;

  /** A host is unreachable or its TLS failed. */
  public static final int UNAVAILABLE = 69;

  /** An unexpected internal error; the log file has the details. */
  public static final int SOFTWARE = 70;

  /** The destination is full. */
  public static final int CANT_CREATE = 73;

  /** Interrupted or a temporary failure: run again to resume. */
  public static final int TEMPORARY = 75;

  /** A server broke the protocol (a response or message beyond its bounds); not temporary. */
  public static final int PROTOCOL = 76;

  /** A server refused the login. */
  public static final int NO_PERMISSION = 77;

  /** Bad configuration: an unreadable password file, a folder map naming no folder. */
  public static final int CONFIG = 78;

  /** The same migration is running in another process (not a sysexits code: there is none). */
  public static final int ALREADY_RUNNING = 79;

  private ExitCodes() {}
}

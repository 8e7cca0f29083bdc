package io.mailferry.job;

/** This process as workers, host slots and status name it: host:pid. */
public final class ProcessName {

  private ProcessName() {}

  public static String of() {
    String host;
    try {
      host = java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      host = "localhost";
    }
    return host + ":" + ProcessHandle.current().pid();
  }
}

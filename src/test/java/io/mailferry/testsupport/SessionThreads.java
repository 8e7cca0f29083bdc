package io.mailferry.testsupport;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.function.Consumer;

/**
 * The accept loop of the scripted servers: each connection served on a daemon thread of its own.
 */
final class SessionThreads {

  private SessionThreads() {}

  /**
   * Starts accepting at once, until {@code listener} is closed; threads are named {@code name} and
   * name-session.
   */
  static void acceptEach(ServerSocket listener, String name, Consumer<Socket> session) {
    daemon(
        name,
        () -> {
          while (!listener.isClosed()) {
            try {
              Socket s = listener.accept();
              daemon(name + "-session", () -> session.accept(s));
            } catch (IOException e) {
              return; // closed
            }
          }
        });
  }

  private static void daemon(String name, Runnable body) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    t.start();
  }
}

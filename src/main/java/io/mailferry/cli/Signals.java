package io.mailferry.cli;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Proxy;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * SIGINT and SIGTERM handled by mailferry itself: the one place that touches {@code
 * sun.misc.Signal}. Why not a shutdown hook: the first signal must only ask the job to stop after
 * the chunks in flight, and a second must still be heard to quit at once; once the JVM runs its
 * hooks it is shutting down and ignores further signals. Java has no public API for this;
 * sun.misc.Signal (module jdk.unsupported, kept for exactly such uses, JEP 260) is the one there
 * is.
 *
 * <p>Looked up by name rather than imported: javac warns at every mention of a sun.* class in a way
 * no @SuppressWarnings silences, and the build compiles main code with -Werror. The calls are the
 * same: {@code Signal.handle(new Signal(name), handler)}, returning the handler of before.
 */
final class Signals {

  private static final Class<?> SIGNAL;
  private static final Class<?> HANDLER;
  private static final MethodHandle NEW_SIGNAL;
  private static final MethodHandle HANDLE;

  static {
    try {
      SIGNAL = Class.forName("sun.misc.Signal");
      HANDLER = Class.forName("sun.misc.SignalHandler");
      MethodHandles.Lookup lookup = MethodHandles.publicLookup();
      NEW_SIGNAL = lookup.findConstructor(SIGNAL, MethodType.methodType(void.class, String.class));
      HANDLE = lookup.findStatic(SIGNAL, "handle", MethodType.methodType(HANDLER, SIGNAL, HANDLER));
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private Signals() {}

  /** The handlers a {@link #onInterruptOrTerminate} replaced, put back by {@link #close}. */
  static final class Restore implements AutoCloseable {
    private final Map<String, Object> previous;

    private Restore(Map<String, Object> previous) {
      this.previous = previous;
    }

    @Override
    public void close() {
      previous.forEach(Signals::handle);
    }
  }

  /**
   * Runs {@code onSignal} at each SIGINT and SIGTERM, on the JVM's signal thread. A signal the JVM
   * reserves here (e.g. -Xrs) keeps its default behaviour.
   */
  static Restore onInterruptOrTerminate(Runnable onSignal) {
    Object handler =
        Proxy.newProxyInstance(
            Signals.class.getClassLoader(),
            new Class<?>[] {HANDLER},
            (proxy, method, args) ->
                switch (method.getName()) {
                  case "handle" -> {
                    onSignal.run();
                    yield null;
                  }
                  case "equals" -> proxy == args[0];
                  case "hashCode" -> System.identityHashCode(proxy);
                  default -> "mailferry's signal handler";
                });
    Map<String, Object> previous = new LinkedHashMap<>();
    for (String name : new String[] {"INT", "TERM"}) {
      try {
        previous.put(name, handle(name, handler));
      } catch (IllegalArgumentException unavailable) {
        // The JVM reserves this signal here; the default behaviour stays.
      }
    }
    return new Restore(previous);
  }

  private static Object handle(String name, Object handler) {
    try {
      return HANDLE.invoke(NEW_SIGNAL.invoke(name), handler);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException(e);
    }
  }
}

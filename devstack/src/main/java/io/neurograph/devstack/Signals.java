package io.neurograph.devstack;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an action on SIGINT, SIGTERM and SIGHUP instead of the JVM's default (run the shutdown hooks and
 * exit with 128+signal). With a handler devstack can stop everything in order and then exit with 0.
 */
final class Signals {

  private static final Logger log = LoggerFactory.getLogger(Signals.class);
  private static final List<String> NAMES = List.of("INT", "TERM", "HUP");

  private Signals() {}

  /**
   * Installs {@code action} (given the signal name) for the termination signals. Returns false when this JVM
   * has no {@code sun.misc.Signal}; the caller's shutdown hook then does the work.
   */
  static boolean onTermination(Consumer<String> action) {
    // Reflection keeps the build free of "internal proprietary API" warnings; jdk.unsupported exports it.
    try {
      Class<?> signalClass = Class.forName("sun.misc.Signal");
      Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
      Method getName = signalClass.getMethod("getName");
      InvocationHandler invocation = (proxy, method, args) -> {
        switch (method.getName()) {
          case "handle" -> action.accept((String) getName.invoke(args[0]));
          case "hashCode" -> {
            return System.identityHashCode(proxy);
          }
          case "equals" -> {
            return proxy == args[0];
          }
          case "toString" -> {
            return "devstack signal handler";
          }
          default -> {
            // no other methods
          }
        }
        return null;
      };
      Object handler = Proxy.newProxyInstance(Signals.class.getClassLoader(), new Class<?>[] {handlerClass}, invocation);
      Method handle = signalClass.getMethod("handle", signalClass, handlerClass);
      for (String name : NAMES) {
        try {
          handle.invoke(null, signalClass.getConstructor(String.class).newInstance(name), handler);
        } catch (ReflectiveOperationException | IllegalArgumentException unsupported) {
          // e.g. HUP on Windows, or a signal the JVM reserves (-Xrs)
          log.debug("Cannot handle SIG{}: {}", name, unsupported.toString());
        }
      }
      return true;
    } catch (ReflectiveOperationException | RuntimeException e) {
      log.debug("No signal handling, relying on the shutdown hook: {}", e.toString());
      return false;
    }
  }
}

package io.latchkey.spring;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * Spring Boot's bootstrap context of a run, reached by method name: its types moved from {@code
 * org.springframework.boot} (Boot 3) to {@code org.springframework.boot.bootstrap} (Boot 4) with
 * the same methods, and one jar of the starter serves both. The config data loader leaves the
 * {@link ReferencePropertySource} there, and the listeners take it from there once the environment
 * is prepared.
 */
final class Bootstrap {
  private Bootstrap() {}

  /**
   * Returns the bootstrap context that {@code holder} (a config data loader's context, or an {@code
   * ApplicationEnvironmentPreparedEvent}) carries, or {@code null}.
   */
  static Object of(Class<?> holderType, Object holder) {
    return invoke(method(holderType, "getBootstrapContext", 0), holder);
  }

  /**
   * As {@link #of}, but returns {@code null} when {@code holderType} has no bootstrap context on
   * this Spring Boot version: the listeners ask on every run, the application imports {@code
   * latchkey:} or not, and must leave an application that does not alone. One that does already
   * failed in the import's loader, which uses {@link #of}.
   */
  static Object find(Class<?> holderType, Object holder) {
    Method getter = find(holderType, "getBootstrapContext", 0);
    return getter == null ? null : invoke(getter, holder);
  }

  /** Returns the instance registered for {@code type}, or {@code null}. */
  static <T> T get(Object context, Class<T> type) {
    Object found = invoke(method(context.getClass(), "getOrElse", 2), context, type, null);
    return type.isInstance(found) ? type.cast(found) : null;
  }

  /** Registers {@code instance} for {@code type}, unless an instance is registered already. */
  static <T> void registerIfAbsent(Object context, Class<T> type, T instance) {
    Method register = method(context.getClass(), "registerIfAbsent", 2);
    // BootstrapRegistry.InstanceSupplier, whichever package it is in.
    Method supplierOf = method(register.getParameterTypes()[1], "of", 1);
    invoke(register, context, type, invoke(supplierOf, null, instance));
  }

  private static Method method(Class<?> type, String name, int parameters) {
    Method found = find(type, name, parameters);
    if (found != null) {
      return found;
    }
    throw new IllegalStateException(
        "this Spring Boot version's " + type.getName() + " has no method " + name);
  }

  private static Method find(Class<?> type, String name, int parameters) {
    for (Method m : type.getMethods()) {
      if (m.getName().equals(name) && m.getParameterCount() == parameters) {
        // The class may be package-private (a loader context is); the method is public.
        m.setAccessible(true);
        return m;
      }
    }
    return null;
  }

  private static Object invoke(Method method, Object target, Object... arguments) {
    try {
      return method.invoke(target, arguments);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException("the bootstrap context failed: " + cause, cause);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(
          "cannot reach the bootstrap context of this Spring Boot version: " + e, e);
    }
  }
}

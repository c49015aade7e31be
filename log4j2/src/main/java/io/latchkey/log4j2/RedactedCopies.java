package io.latchkey.log4j2;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.util.IdentityHashMap;
import java.util.Objects;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Copies of an exception chain with every message redacted, keeping the stack traces, the causes
 * and the suppressed exceptions. Each copy is of the original's class where that class can be
 * rebuilt from a message and shows it the standard way; otherwise a {@link RedactedThrowable}
 * stands in, printing as the original did, redacted.
 */
final class RedactedCopies {
  /**
   * More exceptions than any real chain holds: beyond it, a chain is neither checked nor copied,
   * and the copy ends in a marker.
   */
  private static final int MAX_EXCEPTIONS = 256;

  /**
   * The methods through which an exception shows its message. (A class that shows its cause its own
   * way is caught by checking, once built, that the copy's cause is the one given.)
   */
  private static final Set<String> SHOWING =
      Set.of("getMessage", "getLocalizedMessage", "toString");

  /** What a copy shows where it was cut, so that a reader knows the chain went on. */
  static final String CUT =
      "[latchkey: exception chain cut after " + MAX_EXCEPTIONS + " exceptions, the rest withheld]";

  private final UnaryOperator<String> clean;
  private final IdentityHashMap<Throwable, Throwable> copies = new IdentityHashMap<>();
  private boolean cut;

  private RedactedCopies(UnaryOperator<String> clean) {
    this.clean = clean;
  }

  /**
   * Returns {@code thrown} itself when no message or description in its chain changes under {@code
   * clean}, else a redacted copy of the whole chain.
   */
  static Throwable of(Throwable thrown, UnaryOperator<String> clean) {
    if (!changes(thrown, clean, new IdentityHashMap<>())) {
      return thrown;
    }
    return new RedactedCopies(clean).copy(thrown);
  }

  private static boolean changes(
      Throwable t, UnaryOperator<String> clean, IdentityHashMap<Throwable, Boolean> seen) {
    if (t == null || seen.put(t, Boolean.TRUE) != null) {
      return false;
    }
    if (seen.size() > MAX_EXCEPTIONS) {
      // Fail closed: what lies past the limit is never looked at, so the chain cannot be passed on
      // as it is; the copy is cut at the limit instead.
      return true;
    }
    if (differs(t.getMessage(), clean) || differs(t.toString(), clean)) {
      return true;
    }
    for (Throwable s : t.getSuppressed()) {
      if (changes(s, clean, seen)) {
        return true;
      }
    }
    return changes(t.getCause(), clean, seen);
  }

  private static boolean differs(String text, UnaryOperator<String> clean) {
    return text != null && !text.equals(clean.apply(text));
  }

  private Throwable copy(Throwable original) {
    if (copies.containsKey(original)) {
      // A cycle (this exception is being copied further up): cut it here.
      return copies.get(original);
    }
    if (copies.size() >= MAX_EXCEPTIONS) {
      return cutMarker();
    }
    copies.put(original, null);
    Throwable cause = original.getCause();
    Throwable causeCopy = cause == null || cause == original ? null : copy(cause);
    String message = original.getMessage() == null ? null : clean.apply(original.getMessage());
    Throwable copy = sameClass(original, message, causeCopy);
    if (copy == null) {
      copy = new RedactedThrowable(clean.apply(original.toString()), message, causeCopy);
    }
    copy.setStackTrace(original.getStackTrace());
    copies.put(original, copy);
    for (Throwable s : original.getSuppressed()) {
      Throwable suppressedCopy = copy(s);
      if (suppressedCopy != null && suppressedCopy != copy) {
        copy.addSuppressed(suppressedCopy);
      }
    }
    return copy;
  }

  /** The marker, in place of the first exception past the limit; nothing for those after it. */
  private Throwable cutMarker() {
    if (cut) {
      return null;
    }
    cut = true;
    return new RedactedThrowable(CUT, CUT, null);
  }

  /**
   * A new instance of the original's class with the redacted message and the copied cause, or
   * {@code null} when the class cannot be rebuilt so: no public constructor taking a message (and a
   * cause), a constructor that does something else with them, or a class that shows its message in
   * its own way (a redacted message would then not be what it shows).
   */
  private static Throwable sameClass(Throwable original, String message, Throwable cause) {
    Class<? extends Throwable> type = original.getClass();
    if (showsItsOwnWay(type)) {
      return null;
    }
    if (cause != null) {
      Throwable built = construct(type, message, cause);
      if (built != null) {
        return built;
      }
    }
    Throwable built = construct(type, message, null);
    if (built == null || cause == null) {
      return built;
    }
    try {
      built.initCause(cause);
      return built.getCause() == cause ? built : null;
    } catch (IllegalStateException | IllegalArgumentException e) {
      return null;
    }
  }

  private static Throwable construct(
      Class<? extends Throwable> type, String message, Throwable cause) {
    try {
      Throwable built;
      if (cause == null) {
        Constructor<? extends Throwable> c = type.getConstructor(String.class);
        built = c.newInstance(message);
      } else {
        Constructor<? extends Throwable> c = withCause(type, cause);
        if (c == null) {
          return null;
        }
        built = c.newInstance(message, cause);
      }
      boolean faithful = Objects.equals(built.getMessage(), message) && built.getCause() == cause;
      return faithful ? built : null;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  /** The public constructor taking a message and a cause of the copied cause's type, if any. */
  private static Constructor<? extends Throwable> withCause(
      Class<? extends Throwable> type, Throwable cause) {
    for (Constructor<?> c : type.getConstructors()) {
      Class<?>[] parameters = c.getParameterTypes();
      if (parameters.length == 2
          && parameters[0] == String.class
          && Throwable.class.isAssignableFrom(parameters[1])
          && parameters[1].isInstance(cause)) {
        @SuppressWarnings("unchecked") // a public constructor of a Throwable subclass
        Constructor<? extends Throwable> typed = (Constructor<? extends Throwable>) c;
        return typed;
      }
    }
    return null;
  }

  /** Whether the class, below Throwable, overrides how its message or description show. */
  private static boolean showsItsOwnWay(Class<?> type) {
    for (Class<?> c = type; c != Throwable.class && c != null; c = c.getSuperclass()) {
      for (Method m : c.getDeclaredMethods()) {
        if (m.getParameterCount() == 0 && SHOWING.contains(m.getName())) {
          return true;
        }
      }
    }
    return false;
  }
}

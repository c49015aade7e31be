package io.latchkey.testsupport;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A fresh class loader over the test class path that records every class it loads, so that a test
 * sees which classes a call loads and initialises (a class is loaded and initialised once per
 * loader, and the tests share one JVM). Tests of "an unused provider loads nothing" run their code
 * in one of these, through a static method called with {@link #call}.
 */
public final class IsolatedClassLoader extends URLClassLoader {
  static {
    registerAsParallelCapable();
  }

  private final Set<String> loaded = new TreeSet<>();

  private IsolatedClassLoader(URL[] urls) {
    super("isolated", urls, ClassLoader.getPlatformClassLoader());
  }

  /**
   * Creates a loader over {@code java.class.path}.
   *
   * @return the loader, which the caller closes
   */
  public static IsolatedClassLoader create() {
    List<URL> urls = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (!entry.isEmpty()) {
        try {
          urls.add(new File(entry).toURI().toURL());
        } catch (MalformedURLException e) {
          throw new IllegalStateException("bad class path entry", e);
        }
      }
    }
    return new IsolatedClassLoader(urls.toArray(URL[]::new));
  }

  @Override
  protected Class<?> findClass(String name) throws ClassNotFoundException {
    Class<?> c = super.findClass(name);
    synchronized (loaded) {
      loaded.add(name);
    }
    return c;
  }

  /**
   * Returns the names of the classes this loader has loaded itself.
   *
   * @return the names, sorted
   */
  public Set<String> loaded() {
    synchronized (loaded) {
      return new TreeSet<>(loaded);
    }
  }

  /**
   * Tells whether this loader has loaded a class, without loading it.
   *
   * @param className the class's binary name
   * @return {@code true} if it was loaded
   */
  public boolean hasLoaded(String className) {
    synchronized (loaded) {
      return loaded.contains(className);
    }
  }

  /**
   * Calls a static method in this loader, with this loader as the thread's context class loader
   * (which {@link java.util.ServiceLoader#load(Class)} searches). The parameter types are the
   * arguments' classes, except that a {@link Map} is passed as a {@code Map}.
   *
   * @param className the class, loaded and initialised in this loader
   * @param method the static method, of any access
   * @param args its arguments; use JDK types, which both loaders share
   * @return what it returned
   * @throws IllegalStateException wrapping what it threw
   */
  public Object call(String className, String method, Object... args) {
    Class<?>[] types = new Class<?>[args.length];
    for (int i = 0; i < args.length; i++) {
      types[i] = args[i] instanceof Map ? Map.class : args[i].getClass();
    }
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(this);
    try {
      Method m = Class.forName(className, true, this).getDeclaredMethod(method, types);
      m.setAccessible(true);
      return m.invoke(null, args);
    } catch (InvocationTargetException e) {
      throw new IllegalStateException("the isolated call failed", e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    } finally {
      thread.setContextClassLoader(previous);
    }
  }

  /** Closes the loader's jar files. */
  @Override
  public void close() {
    try {
      super.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

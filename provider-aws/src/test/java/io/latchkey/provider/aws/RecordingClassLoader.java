package io.latchkey.provider.aws;

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
import java.util.Set;
import java.util.TreeSet;

/**
 * A fresh class loader over the test class path that records every class it loads, so that a test
 * can tell which classes a piece of code needed (a class is loaded once per loader, and the tests
 * share one JVM).
 */
final class RecordingClassLoader extends URLClassLoader {
  static {
    registerAsParallelCapable();
  }

  private final Set<String> loaded = new TreeSet<>();

  private RecordingClassLoader(URL[] urls) {
    super("recording", urls, ClassLoader.getPlatformClassLoader());
  }

  static RecordingClassLoader create() {
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
    return new RecordingClassLoader(urls.toArray(URL[]::new));
  }

  @Override
  protected Class<?> findClass(String name) throws ClassNotFoundException {
    synchronized (loaded) {
      loaded.add(name);
    }
    return super.findClass(name);
  }

  /** Returns the names of the classes this loader has loaded so far. */
  Set<String> loaded() {
    synchronized (loaded) {
      return new TreeSet<>(loaded);
    }
  }

  /**
   * Calls a static method in this loader, with this loader as the thread's context class loader
   * (which {@link java.util.ServiceLoader#load(Class)} searches).
   */
  Object call(String className, String method, Class<?>[] types, Object... args) {
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

  @Override
  public void close() {
    try {
      super.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

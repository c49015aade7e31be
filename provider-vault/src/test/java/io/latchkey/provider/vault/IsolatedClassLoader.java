package io.latchkey.provider.vault;

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

/**
 * A fresh class loader over the test class path, so that a test sees which classes a call loads (a
 * class is loaded once per loader, and the tests share one JVM).
 */
final class IsolatedClassLoader extends URLClassLoader {

  private IsolatedClassLoader(URL[] urls) {
    super("isolated", urls, ClassLoader.getPlatformClassLoader());
  }

  static IsolatedClassLoader create() {
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

  /**
   * Calls a static method in this loader, with this loader as the thread's context class loader
   * (which {@link java.util.ServiceLoader#load(Class)} searches).
   */
  Object call(String className, String method, Object... args) {
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(this);
    try {
      Class<?>[] types = new Class<?>[args.length];
      for (int i = 0; i < args.length; i++) {
        types[i] = args[i].getClass();
      }
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

  /** Tells whether this loader has loaded a class, without loading it. */
  boolean hasLoaded(String className) {
    return findLoadedClass(className) != null;
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

package io.latchkey.provider.gcp;

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
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A fresh class loader over the test class path that records every class it loads, so that a test
 * can tell which classes a call needed (a class is loaded once per loader, and the tests share one
 * JVM).
 */
final class IsolatedClassLoader extends URLClassLoader {
  private final List<String> loaded = new CopyOnWriteArrayList<>();

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

  @Override
  protected Class<?> findClass(String name) throws ClassNotFoundException {
    Class<?> c = super.findClass(name);
    loaded.add(name);
    return c;
  }

  /** Returns the names of the classes this loader has loaded itself, in order. */
  List<String> loaded() {
    return List.copyOf(loaded);
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
        types[i] = args[i] instanceof java.util.Map ? java.util.Map.class : args[i].getClass();
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

  @Override
  public void close() {
    try {
      super.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package io.latchkey.provider.env;

import io.latchkey.spi.ProviderThreads;
import java.io.IOException;
import java.lang.ref.WeakReference;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls the {@link MountedFiles} on a daemon thread of its own ({@code latchkey-env-poll-N}), every
 * poll interval, from the first fetch that read a file until the provider closes.
 *
 * <p>Where the file system delivers events ({@link WatchService}: inotify on Linux), it also
 * watches the files' directories: an event polls at once and again {@value #SETTLE_MILLIS} ms
 * later, so a rotation complete on disk is taken well within a second, without waiting for the
 * interval. Bind mounts and network file systems may deliver no event; the interval's poll still
 * sees the change. A watcher that cannot be had, or a directory that cannot be watched, leaves
 * polling alone.
 */
final class FilePoller {
  /** How long after an event the confirming poll comes: writes in flight have ended by then. */
  static final long SETTLE_MILLIS = 200;

  private static final class Log {
    static final Logger LOG = LoggerFactory.getLogger(EnvSecretProvider.class);
  }

  private final MountedFiles files;
  // The thread reaches the files through this alone: a provider dropped without close() is
  // collected, and its thread ends at its next poll.
  private final WeakReference<MountedFiles> reachable;
  private final long intervalMillis;
  private final boolean watch;
  private final ProviderThreads threads = new ProviderThreads("latchkey-env-poll-");
  private final Set<Path> watched = new HashSet<>();
  private volatile int registered;
  private Thread thread;
  private WatchService watcher;
  private boolean closed;

  /**
   * @param interval the time between polls; zero polls only when {@link EnvSecretProvider#poll()}
   *     is called
   * @param watch whether to watch the directories for events as well
   */
  FilePoller(MountedFiles files, Duration interval, boolean watch) {
    this.files = files;
    this.reachable = new WeakReference<>(files);
    this.intervalMillis = interval.toMillis();
    this.watch = watch && intervalMillis > 0;
  }

  /**
   * Starts the thread, once, if there is something to poll and polling is on, and watches the
   * directories of files read since the last call, before the caller goes on: a change made after
   * the fetch that read a file is reported.
   */
  void startIfNeeded() {
    if (intervalMillis == 0 || files.size() == registered) {
      return;
    }
    synchronized (this) {
      if (closed) {
        return;
      }
      registered = files.size();
      if (thread != null) {
        register(files, watcher, watched);
        return;
      }
      if (watch) {
        try {
          watcher = FileSystems.getDefault().newWatchService();
        } catch (IOException | UnsupportedOperationException e) {
          Log.LOG.debug("no file watcher ({}); polling alone", e.getClass().getSimpleName());
        }
      }
      WeakReference<MountedFiles> weak = reachable;
      long every = intervalMillis;
      WatchService events = watcher;
      register(files, watcher, watched);
      thread = threads.newThread(() -> run(weak, every, events));
      thread.start();
    }
  }

  /**
   * The thread's loop. Static, and given only what it needs, so that it holds the poller and the
   * files no more strongly than through {@code files}.
   */
  private static void run(
      WeakReference<MountedFiles> files, long intervalMillis, WatchService watcher) {
    long wait = intervalMillis;
    try {
      while (!Thread.currentThread().isInterrupted()) {
        boolean event = awaitEvent(watcher, wait);
        MountedFiles held = files.get();
        if (held == null) {
          return;
        }
        try {
          held.poll();
        } catch (RuntimeException e) {
          // A poll reads files and reports by name; anything else is a bug to log, not to die of.
          Log.LOG.warn("polling the mounted files failed with {}", e.getClass().getName());
        }
        wait = event ? SETTLE_MILLIS : intervalMillis;
      }
    } catch (InterruptedException | ClosedWatchServiceException e) {
      Thread.currentThread().interrupt();
    } finally {
      closeQuietly(watcher);
    }
  }

  /** Waits for the interval, or for the first event of a watched directory. */
  private static boolean awaitEvent(WatchService watcher, long millis) throws InterruptedException {
    if (watcher == null) {
      Thread.sleep(millis);
      return false;
    }
    WatchKey key = watcher.poll(millis, TimeUnit.MILLISECONDS);
    boolean event = false;
    while (key != null) {
      event = true;
      key.pollEvents();
      key.reset();
      key = watcher.poll();
    }
    return event;
  }

  private static void register(MountedFiles files, WatchService watcher, Set<Path> watched) {
    if (watcher == null) {
      return;
    }
    for (Path directory : files.directories()) {
      if (watched.add(directory)) {
        try {
          directory.register(
              watcher,
              StandardWatchEventKinds.ENTRY_CREATE,
              StandardWatchEventKinds.ENTRY_DELETE,
              StandardWatchEventKinds.ENTRY_MODIFY);
        } catch (IOException | UnsupportedOperationException e) {
          Log.LOG.debug(
              "a directory of mounted files cannot be watched ({}); polling it",
              e.getClass().getSimpleName());
        }
      }
    }
  }

  private static void closeQuietly(WatchService watcher) {
    if (watcher != null) {
      try {
        watcher.close();
      } catch (IOException e) {
        Log.LOG.debug("closing the file watcher failed ({})", e.getClass().getSimpleName());
      }
    }
  }

  /** Stops the thread and the watcher, and waits a moment for the thread to end. */
  void close() {
    Thread t;
    synchronized (this) {
      closed = true;
      t = thread;
      closeQuietly(watcher);
    }
    if (t != null) {
      t.interrupt();
      threads.join(Duration.ofSeconds(1));
    }
  }

  @Override
  public String toString() {
    return "FilePoller[every " + intervalMillis + " ms" + (watch ? ", watching" : "") + "]";
  }
}

package io.latchkey.provider.env;

import io.latchkey.ConfigException.Problem;
import io.latchkey.provider.env.internal.PathText;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The files behind what the env provider served a resolver ({@code NAME_FILE} targets,
 * secrets-directory files, the {@code .env} file), with the value each serves, and the polls that
 * take a rotated file in.
 *
 * <p>A fetch reads a file from the disk once, the first time it needs it; after that it is served
 * what this holds, and only a {@link #poll()} reads the disk again. A poll takes new content once
 * it has read the same bytes twice in a row, so a file caught half-written is never served: a
 * rotation is taken one poll interval after it is complete. New content that cannot be served (the
 * file empty, gone, a directory, unreadable, a loop of symbolic links, too large, not UTF-8, a
 * {@code .env} file with malformed lines) is never taken: the previous value stays, and once the
 * same problem has been read on two polls in a row it is reported, with one warning naming the
 * setting and the reason, never the content, and in {@link #problems()} until the file reads well
 * again.
 *
 * <p>Whatever the way a file is replaced (Kubernetes swapping its {@code ..data} link, an agent or
 * an editor writing in place, {@code mv} over the old file), a poll reads the path as it resolves
 * now, so each is seen the same way. Listeners are told after a poll that changed a value, on the
 * polling thread, holding the poll's lock but none that a fetch takes.
 */
final class MountedFiles implements SecretFileSource {
  private static final class Log {
    static final Logger LOG = LoggerFactory.getLogger(EnvSecretProvider.class);
  }

  private final ConcurrentHashMap<Path, Tracked> files = new ConcurrentHashMap<>();
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  private final Function<Path, FileContent.Reading> secretReader;
  private final Function<Path, FileContent.Reading> dotenvReader;

  MountedFiles() {
    this(
        path -> FileContent.read(path, SecretFiles.MAX_BYTES),
        path -> FileContent.read(path, DotenvFile.MAX_BYTES));
  }

  /** With the file reads given, so that a test can make a file unreadable as root cannot. */
  MountedFiles(
      Function<Path, FileContent.Reading> secretReader,
      Function<Path, FileContent.Reading> dotenvReader) {
    this.secretReader = secretReader;
    this.dotenvReader = dotenvReader;
  }

  @Override
  public String read(Path path, PathText named, String setting, String context) {
    Tracked held = files.get(path);
    if (held instanceof SecretFile file) {
      return file.text;
    }
    FileContent.Reading reading = secretReader.apply(path);
    String text = SecretFiles.text(reading, named, setting, context);
    Tracked mine =
        new SecretFile(path, named, setting, context, secretReader, reading.bytes(), text);
    Tracked first = files.putIfAbsent(path, mine);
    return first instanceof SecretFile file ? file.text : text;
  }

  @Override
  public boolean holds(Path path) {
    return files.get(path) instanceof SecretFile;
  }

  /**
   * Holds the {@code .env} file the provider parsed when it was built, so that polls replace its
   * layer when it changes.
   *
   * @param bytes what was parsed
   * @param install takes the layer parsed from new content
   */
  void holdDotenv(
      Path path, PathText named, String setting, byte[] bytes, Consumer<Layer> install) {
    files.put(path, new DotenvContent(path, named, setting, dotenvReader, bytes, install));
  }

  /** The number of files held. */
  int size() {
    return files.size();
  }

  /** The directories of the files held, for a watcher to watch. */
  Set<Path> directories() {
    Set<Path> directories = new LinkedHashSet<>();
    for (Path path : files.keySet()) {
      Path parent = path.toAbsolutePath().getParent();
      if (parent != null) {
        directories.add(parent);
      }
    }
    return directories;
  }

  /** Registers what to run after a poll changed a value. */
  void onChange(Runnable listener) {
    listeners.add(listener);
  }

  /**
   * Reads every file held once, takes what has read the same twice in a row, reports what has
   * failed twice in a row, and tells the listeners if a value changed.
   */
  synchronized void poll() {
    boolean changed = false;
    for (Tracked file : files.values()) {
      changed |= file.poll();
    }
    if (changed) {
      for (Runnable listener : listeners) {
        try {
          listener.run();
        } catch (RuntimeException e) {
          Log.LOG.warn("a change listener failed with {}", e.getClass().getName());
        }
      }
    }
  }

  /** The files whose previous value is served because what they hold now cannot be. */
  List<Problem> problems() {
    List<Problem> problems = new ArrayList<>();
    for (Tracked file : files.values()) {
      String problem = file.problem;
      if (problem != null) {
        problems.add(new Problem(file.setting, problem + "; serving the previous value"));
      }
    }
    return problems;
  }

  @Override
  public String toString() {
    return "MountedFiles[" + files.size() + " files]";
  }

  /** One file, the content it serves, and what the last polls saw. */
  private abstract static class Tracked {
    final Path path;
    final PathText named;
    final String setting;
    final String context;
    private final String bound;
    private final Function<Path, FileContent.Reading> reader;
    // Written by polls only, which hold the lock of the MountedFiles.
    private byte[] served;
    private byte[] candidate;
    private String pendingProblem;
    volatile String problem;

    Tracked(
        Path path,
        PathText named,
        String setting,
        String context,
        String bound,
        Function<Path, FileContent.Reading> reader,
        byte[] served) {
      this.path = path;
      this.named = named;
      this.setting = setting;
      this.context = context;
      this.bound = bound;
      this.reader = reader;
      this.served = served;
    }

    /** Says what is wrong with content that read well, or returns {@code null}. */
    abstract String problemWith(byte[] content);

    /** Serves the content that {@link #problemWith} just accepted. */
    abstract void take();

    /** Polls once; returns whether the value served changed. */
    final boolean poll() {
      FileContent.Reading reading = reader.apply(path);
      byte[] content = reading.bytes();
      String fault = reading.fault() != null ? reading.reason(named, context, bound) : null;
      if (fault == null && Arrays.equals(content, served)) {
        candidate = null;
        pendingProblem = null;
        recovered();
        return false;
      }
      if (fault == null) {
        fault = problemWith(content);
      }
      if (fault != null) {
        candidate = null;
        if (fault.equals(pendingProblem)) {
          report(fault);
        }
        pendingProblem = fault;
        return false;
      }
      pendingProblem = null;
      if (!Arrays.equals(content, candidate)) {
        // Seen once: it may still be being written. The next poll decides.
        candidate = content;
        return false;
      }
      take();
      served = content;
      candidate = null;
      Log.LOG.info("{}: the file changed; serving its new content from now on", setting);
      recovered();
      return true;
    }

    private void report(String fault) {
      if (!fault.equals(problem)) {
        problem = fault;
        Log.LOG.warn("{}: {}; serving the previous value until it is fixed", setting, fault);
      }
    }

    private void recovered() {
      if (problem != null) {
        problem = null;
        Log.LOG.info("{}: reads well again", setting);
      }
    }

    @Override
    public String toString() {
      return getClass().getSimpleName() + "[" + setting + "]";
    }
  }

  /** A file that holds one secret. */
  private static final class SecretFile extends Tracked {
    volatile String text;
    private String next;

    SecretFile(
        Path path,
        PathText named,
        String setting,
        String context,
        Function<Path, FileContent.Reading> reader,
        byte[] served,
        String text) {
      super(path, named, setting, context, SecretFiles.BOUND, reader, served);
      this.text = text;
    }

    @Override
    String problemWith(byte[] content) {
      String decoded = SecretFiles.decode(content);
      if (decoded == null) {
        return fault(FileContent.Fault.NOT_UTF8);
      }
      String value = SecretFiles.stripOneLineBreak(decoded);
      if (value.isEmpty()) {
        return fault(FileContent.Fault.EMPTY);
      }
      next = value;
      return null;
    }

    private String fault(FileContent.Fault fault) {
      return FileContent.Reading.of(fault).reason(named, context, SecretFiles.BOUND);
    }

    @Override
    void take() {
      text = next;
      next = null;
    }
  }

  /** The {@code .env} file, whose content is a whole layer. */
  private static final class DotenvContent extends Tracked {
    private final Consumer<Layer> install;
    private Layer next;

    DotenvContent(
        Path path,
        PathText named,
        String setting,
        Function<Path, FileContent.Reading> reader,
        byte[] served,
        Consumer<Layer> install) {
      super(path, named, setting, "", DotenvFile.BOUND, reader, served);
      this.install = install;
    }

    @Override
    String problemWith(byte[] content) {
      if (content.length == 0) {
        return FileContent.Reading.of(FileContent.Fault.EMPTY).reason(named, "", DotenvFile.BOUND);
      }
      List<Problem> found = new ArrayList<>();
      Layer layer = DotenvFile.parse(path, content, found);
      if (!found.isEmpty()) {
        Problem first = found.get(0);
        return named.reason("has malformed lines", "has malformed lines", "")
            + " ("
            + first.setting()
            + ": "
            + first.reason()
            + (found.size() > 1 ? ", and " + (found.size() - 1) + " more" : "")
            + ")";
      }
      next = layer;
      return null;
    }

    @Override
    void take() {
      install.accept(next);
      next = null;
    }
  }
}

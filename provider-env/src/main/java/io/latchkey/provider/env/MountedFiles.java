package io.latchkey.provider.env;

import io.latchkey.ConfigException.Problem;
import io.latchkey.internal.PathText;
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
 * {@code .env} file with malformed lines, or with no entries left in place of a layer that had
 * some) is never taken: the previous value stays, and once the same problem has been read on two
 * polls in a row it is reported, with one warning naming the setting and the reason, never the
 * content, and in {@link #problems()} until the file reads well again. A file named by several
 * variables ({@code A_FILE} and {@code B_FILE}) is read once and reported against each of them.
 * Content that cannot be served is not served by the first fetch either: an empty file is refused
 * then as it is by a poll.
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
    Use use = new Use(setting, named, context);
    Tracked held = files.get(path);
    if (held instanceof SecretFile file) {
      file.addUse(use);
      return file.text;
    }
    FileContent.Reading reading = secretReader.apply(path);
    // Refuses empty content: a poll never takes it, so the first read does not serve it either.
    String text = SecretFiles.text(reading, named, setting, context);
    Tracked mine = new SecretFile(path, use, secretReader, reading.bytes(), text);
    Tracked first = files.putIfAbsent(path, mine);
    if (first instanceof SecretFile file) {
      file.addUse(use);
      return file.text;
    }
    return text;
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
   * @param entries how many entries the layer parsed from {@code bytes} holds
   * @param install takes the layer parsed from new content
   */
  void holdDotenv(
      Path path,
      PathText named,
      String setting,
      byte[] bytes,
      int entries,
      Consumer<Layer> install) {
    files.put(
        path,
        new DotenvContent(
            path, new Use(setting, named, ""), dotenvReader, bytes, entries, install));
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

  /** Drops what {@link #onChange(Runnable)} registered: that very object, not an equal one. */
  void removeOnChange(Runnable listener) {
    listeners.removeIf(l -> l == listener);
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
      Failure problem = file.problem;
      if (problem != null) {
        for (Use use : file.uses()) {
          problems.add(
              new Problem(use.setting(), problem.reason(use) + "; serving the previous value"));
        }
      }
    }
    return problems;
  }

  @Override
  public String toString() {
    return "MountedFiles[" + files.size() + " files]";
  }

  /**
   * A variable that names a file, with how its problems name the path and where it was set: each
   * variable has its own, since whether a path may be shown depends on the secret it stands for.
   */
  record Use(String setting, PathText named, String context) {}

  /**
   * What is wrong with what a poll read, said for each variable that names the file; {@code key}
   * (the reason as the first variable words it) tells one problem from another.
   */
  record Failure(String key, Function<Use, String> reasons) {
    String reason(Use use) {
      return reasons.apply(use);
    }
  }

  /** One file, the content it serves, and what the last polls saw. */
  private abstract static class Tracked {
    final Path path;
    private final String bound;
    private final Function<Path, FileContent.Reading> reader;
    // Few and rarely added to; problems() and the polls read them without the lock.
    private final List<Use> uses = new CopyOnWriteArrayList<>();
    // Written by polls only, which hold the lock of the MountedFiles.
    private byte[] served;
    private byte[] candidate;
    private String pendingProblem;
    volatile Failure problem;

    Tracked(
        Path path,
        Use first,
        String bound,
        Function<Path, FileContent.Reading> reader,
        byte[] served) {
      this.path = path;
      this.bound = bound;
      this.reader = reader;
      this.served = served;
      uses.add(first);
    }

    /** Adds a variable that names this file, once. */
    final synchronized void addUse(Use use) {
      for (Use known : uses) {
        if (known.setting().equals(use.setting())) {
          return;
        }
      }
      uses.add(use);
    }

    final List<Use> uses() {
      return uses;
    }

    /** Says what is wrong with content that read well, or returns {@code null}. */
    abstract Failure problemWith(byte[] content);

    /** Serves the content that {@link #problemWith} just accepted. */
    abstract void take();

    /** Says what is wrong for each variable, as a fault of the reading itself. */
    final Failure fault(FileContent.Reading reading) {
      return fault(use -> reading.reason(use.named(), use.context(), bound));
    }

    final Failure fault(Function<Use, String> reasons) {
      return new Failure(reasons.apply(uses.get(0)), reasons);
    }

    /** Polls once; returns whether the value served changed. */
    final boolean poll() {
      FileContent.Reading reading = reader.apply(path);
      byte[] content = reading.bytes();
      Failure fault = reading.fault() != null ? fault(reading) : null;
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
        if (fault.key().equals(pendingProblem)) {
          report(fault);
        }
        pendingProblem = fault.key();
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
      for (Use use : uses) {
        Log.LOG.info("{}: the file changed; serving its new content from now on", use.setting());
      }
      recovered();
      return true;
    }

    private void report(Failure fault) {
      Failure reported = problem;
      if (reported == null || !fault.key().equals(reported.key())) {
        problem = fault;
        for (Use use : uses) {
          Log.LOG.warn(
              "{}: {}; serving the previous value until it is fixed",
              use.setting(),
              fault.reason(use));
        }
      }
    }

    private void recovered() {
      if (problem != null) {
        problem = null;
        for (Use use : uses) {
          Log.LOG.info("{}: reads well again", use.setting());
        }
      }
    }

    @Override
    public String toString() {
      return getClass().getSimpleName() + "[" + uses.get(0).setting() + "]";
    }
  }

  /** A file that holds one secret. */
  private static final class SecretFile extends Tracked {
    volatile String text;
    private String next;

    SecretFile(
        Path path,
        Use first,
        Function<Path, FileContent.Reading> reader,
        byte[] served,
        String text) {
      super(path, first, SecretFiles.BOUND, reader, served);
      this.text = text;
    }

    @Override
    Failure problemWith(byte[] content) {
      String decoded = SecretFiles.decode(content);
      if (decoded == null) {
        return fault(FileContent.Reading.of(FileContent.Fault.NOT_UTF8));
      }
      String value = SecretFiles.stripOneLineBreak(decoded);
      if (value.isEmpty()) {
        return fault(FileContent.Reading.of(FileContent.Fault.EMPTY));
      }
      next = value;
      return null;
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
    private DotenvFile.Parsed next;
    // Written by polls only, under the lock of the MountedFiles, as the bytes served are.
    private int servedEntries;

    DotenvContent(
        Path path,
        Use use,
        Function<Path, FileContent.Reading> reader,
        byte[] served,
        int servedEntries,
        Consumer<Layer> install) {
      super(path, use, DotenvFile.BOUND, reader, served);
      this.servedEntries = servedEntries;
      this.install = install;
    }

    @Override
    Failure problemWith(byte[] content) {
      if (content.length == 0) {
        return fault(FileContent.Reading.of(FileContent.Fault.EMPTY));
      }
      List<Problem> found = new ArrayList<>();
      // Quietly: the same content is parsed on every poll until it is taken or fixed, and its
      // notes are logged once, by take().
      DotenvFile.Parsed parsed = DotenvFile.parseQuietly(path, content, found);
      if (!found.isEmpty()) {
        Problem first = found.get(0);
        String more = found.size() > 1 ? ", and " + (found.size() - 1) + " more" : "";
        return fault(
            use ->
                use.named().reason("has malformed lines", "has malformed lines", "")
                    + " ("
                    + first.setting()
                    + ": "
                    + first.reason()
                    + more
                    + ")");
      }
      // `echo > .env`, an editor that writes a byte-order mark or a line break first, or a file
      // cut down to its comments leaves no entry: taking that would drop every value the file
      // served, as a 0-byte file would. A file that never had entries loses nothing by it.
      if (parsed.layer().size() == 0 && servedEntries > 0) {
        return fault(FileContent.Reading.of(FileContent.Fault.EMPTY));
      }
      next = parsed;
      return null;
    }

    @Override
    void take() {
      next.result().log();
      install.accept(next.layer());
      servedEntries = next.layer().size();
      next = null;
    }
  }
}

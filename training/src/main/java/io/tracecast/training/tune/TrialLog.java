package io.tracecast.training.tune;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;

/**
 * The finished trials of one (job, kind) search as JSON lines, one {@link Trial} per line: the
 * source a killed search resumes from. Each append rewrites the file through a rename (HDFS and
 * S3 have no dependable append), so a crash leaves the previous complete log; a trial in flight
 * when the run died is simply not there and runs again. A Hadoop path, next to the checkpoints.
 */
public final class TrialLog {
  private static final ObjectMapper JSON = new ObjectMapper()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .disable(SerializationFeature.INDENT_OUTPUT);
  private final FileSystem fs;
  private final FileContext fc;
  private final Path file;
  private final List<Trial> trials = new ArrayList<>();

  private TrialLog() {
    this.fs = null;
    this.fc = null;
    this.file = null;
  }

  /** A log kept in memory only: a search that need not survive its process (tests, benches). */
  public static TrialLog inMemory() {
    return new TrialLog();
  }

  private TrialLog(Path file, Configuration conf) throws IOException {
    this.fs = file.getFileSystem(conf);
    this.file = fs.makeQualified(file);
    this.fc = FileContext.getFileContext(this.file.toUri(), conf);
  }

  /** Opens (or starts) the log at {@code path}, reading the trials already there. */
  public static TrialLog open(String path, Configuration conf) {
    try {
      TrialLog log = new TrialLog(new Path(path), conf);
      log.trials.addAll(log.read());
      return log;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read trial log " + path + ": " + e, e);
    }
  }

  public String path() {
    return file == null ? "(in memory)" : file.toString();
  }

  /** The trials recorded so far, by number. */
  public synchronized List<Trial> trials() {
    return trials.stream().sorted(Comparator.comparingInt(Trial::number)).toList();
  }

  /** Records a finished trial; it is on disk when this returns. */
  public synchronized void append(Trial t) {
    trials.add(t);
    if (file == null) {
      return;
    }
    Path tmp = new Path(file.getParent(), "." + file.getName() + "." + System.nanoTime()
        + ".tmp");
    try {
      fs.mkdirs(file.getParent());
      try (OutputStream out = fs.create(tmp, true)) {
        for (Trial x : trials) {
          out.write(JSON.writeValueAsBytes(x));
          out.write('\n');
        }
      }
      fc.rename(tmp, file, Options.Rename.OVERWRITE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write trial log " + file + ": " + e, e);
    }
  }

  private List<Trial> read() throws IOException {
    List<Trial> out = new ArrayList<>();
    if (!fs.exists(file)) {
      return out;
    }
    try (BufferedReader r = new BufferedReader(new InputStreamReader(fs.open(file),
        StandardCharsets.UTF_8))) {
      String line;
      int n = 0;
      while ((line = r.readLine()) != null) {
        n++;
        if (!line.isBlank()) {
          try {
            out.add(JSON.readValue(line, Trial.class));
          } catch (IOException e) {
            throw new IOException(file + " line " + n + ": " + e.getMessage(), e);
          }
        }
      }
    }
    return out;
  }

  /** One log line: how a trial also travels back from its Spark task, whatever the serializer. */
  public static String toJson(Trial t) {
    try {
      return JSON.writeValueAsString(t);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Trial fromJson(String line) {
    try {
      return JSON.readValue(line, Trial.class);
    } catch (IOException e) {
      throw new UncheckedIOException("not a trial: " + line, e);
    }
  }

  /** JSON-shaped copy (maps, lists, numbers) of {@code value}, for registry metadata params. */
  public static Object jsonShaped(Object value) {
    return JSON.convertValue(value, Object.class);
  }
}

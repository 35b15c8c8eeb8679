package io.tracecast.training.fit;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracecast.common.FileReplace;
import io.tracecast.common.PausePoint;
import io.tracecast.training.registry.NetworkFiles;
import io.tracecast.training.registry.RegistryNames;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * Per-epoch checkpoints of one (job, model):
 * <pre>
 *   &lt;root&gt;/&lt;job&gt;/&lt;model&gt;/state.json        {@link CheckpointState}
 *   &lt;root&gt;/&lt;job&gt;/&lt;model&gt;/epoch-&lt;n&gt;.zip     network after epoch n, updater included
 *   &lt;root&gt;/&lt;job&gt;/&lt;model&gt;/best-&lt;n&gt;.zip      network after the best epoch so far
 * </pre>
 * Model files carry their epoch in the name and are written before the state that names them;
 * the state is replaced by an atomic rename ({@link FileReplace}). So a crash at any point leaves
 * the previous, consistent checkpoint, and stale files are removed only after the new state is in
 * place; hidden {@code .*.tmp} files a crash leaves are overwritten or never read. A Hadoop path,
 * so that executors on other hosts (HDFS, S3) can resume each other's jobs.
 */
public final class CheckpointStore {
  private static final String STATE = "state.json";
  private static final int MKDIRS_ATTEMPTS = 5;
  private final FileSystem fs;
  private final FileContext fc;
  private final Path dir;
  private final ObjectMapper json = new ObjectMapper()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /** {@code model}: the registry model name, e.g. {@code mlp_tuned}. */
  public CheckpointStore(String root, String job, String model, Configuration conf) {
    try {
      Path r = new Path(root);
      this.fs = r.getFileSystem(conf);
      this.dir = new Path(new Path(fs.makeQualified(r), RegistryNames.encode(job, "job")),
          RegistryNames.encode(model, "model"));
      this.fc = FileContext.getFileContext(dir.toUri(), conf);
      fs.setWriteChecksum(false);
    } catch (IOException e) {
      throw new UncheckedIOException("checkpoint directory under " + root + ": " + e, e);
    }
  }

  public String directory() {
    return dir.toString();
  }

  public Optional<CheckpointState> state() {
    Path p = new Path(dir, STATE);
    try {
      if (!fs.exists(p)) {
        return Optional.empty();
      }
      try (InputStream in = fs.open(p)) {
        return Optional.of(json.readValue(in, CheckpointState.class));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read checkpoint " + p + ": " + e, e);
    }
  }

  public ComputationGraph network(String file) {
    Path p = new Path(dir, file);
    try (InputStream in = fs.open(p)) {
      return NetworkFiles.read(in, true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read checkpoint " + p + ": " + e, e);
    }
  }

  /** Writes the last epoch's network, the best one when it changed, then the state. */
  public void save(CheckpointState state, ComputationGraph last, ComputationGraph bestIfNew) {
    try {
      mkdirs();
      writeModel(state.modelFile(), last);
      if (bestIfNew != null) {
        writeModel(state.bestFile(), bestIfNew);
      }
      PausePoint.reach("checkpoint.models");
      Path tmp = new Path(dir, ".state-" + System.nanoTime() + ".tmp");
      try (OutputStream out = fs.create(tmp, true)) {
        json.writeValue(out, state);
      }
      PausePoint.reach("checkpoint.state");
      FileReplace.replace(fs, fc, tmp, new Path(dir, STATE));
      PausePoint.reach("checkpoint.saved");
      for (FileStatus s : fs.listStatus(dir)) {
        String name = s.getPath().getName();
        if (name.endsWith(".zip") && !name.equals(state.modelFile())
            && !name.equals(state.bestFile())) {
          fs.delete(s.getPath(), false);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write checkpoint in " + dir + ": " + e, e);
    }
  }

  /** Removes the checkpoint, once its model is published, and the job's directory if empty. */
  public void delete() {
    try {
      fs.delete(dir, true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete checkpoint " + dir + ": " + e, e);
    }
    Path jobDir = dir.getParent();
    try {
      if (fs.exists(jobDir) && fs.listStatus(jobDir).length == 0) {
        // non-recursive: another kind or trial of the job may be creating its directory there
        fs.delete(jobDir, false);
      }
    } catch (IOException e) {
      // it was: that one's checkpoint now lives there; an empty directory left is harmless
    }
  }

  /**
   * Creates the checkpoint directory. Another task of the same job may be removing the job's
   * then-empty directory ({@link #delete}) at the same moment, which makes a local mkdirs fail
   * with "parent is not a directory" (the parent vanished between its checks); a retry creates
   * both again.
   */
  private void mkdirs() throws IOException {
    for (int attempt = 1; ; attempt++) {
      try {
        if (fs.mkdirs(dir)) {
          return;
        }
      } catch (org.apache.hadoop.fs.ParentNotDirectoryException
          | java.io.FileNotFoundException e) {
        if (attempt >= MKDIRS_ATTEMPTS) {
          throw e;
        }
        continue;
      }
      if (attempt >= MKDIRS_ATTEMPTS) {
        throw new IOException("mkdirs " + dir + " failed");
      }
    }
  }

  private void writeModel(String file, ComputationGraph net) throws IOException {
    Path tmp = new Path(dir, "." + file + ".tmp");
    try (OutputStream out = fs.create(tmp, true)) {
      NetworkFiles.write(net, out, true);
    }
    PausePoint.reach("checkpoint.model-file");
    FileReplace.replace(fs, fc, tmp, new Path(dir, file));
  }
}

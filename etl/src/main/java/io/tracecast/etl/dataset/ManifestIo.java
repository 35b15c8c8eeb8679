package io.tracecast.etl.dataset;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** Reads and writes {@code manifest.json} on any Hadoop filesystem. */
public final class ManifestIo {
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ManifestIo() {}

  public static void write(Manifest manifest, String datasetDir, Configuration conf) {
    Path path = new Path(datasetDir, DatasetLayout.MANIFEST);
    try (OutputStream out = path.getFileSystem(conf).create(path, false)) {
      JSON.writeValue(out, manifest);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + path + ": " + e, e);
    }
  }

  public static Manifest read(String datasetDir, Configuration conf) {
    Path path = new Path(datasetDir, DatasetLayout.MANIFEST);
    try {
      FileSystem fs = path.getFileSystem(conf);
      if (!fs.exists(path)) {
        throw new IllegalArgumentException(
            datasetDir + " is not a tracecast dataset: no " + DatasetLayout.MANIFEST);
      }
      try (InputStream in = fs.open(path)) {
        Manifest m = JSON.readValue(in, Manifest.class);
        if (m.schemaVersion() != Manifest.SCHEMA_VERSION) {
          throw new IllegalArgumentException(path + ": schema version " + m.schemaVersion()
              + ", this tracecast reads " + Manifest.SCHEMA_VERSION);
        }
        return m;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path + ": " + e, e);
    }
  }
}

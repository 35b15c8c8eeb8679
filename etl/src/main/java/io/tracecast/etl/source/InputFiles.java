package io.tracecast.etl.source;

import io.tracecast.etl.dataset.Manifest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Expands the inputs given on the command line (files, directories, globs; local paths or any
 * Hadoop filesystem URI) into a sorted list of files. Hidden files ({@code .x}, {@code _x})
 * are ignored, as Spark does; an input that matches nothing is an error.
 */
public final class InputFiles {
  private InputFiles() {}

  public static List<Manifest.InputFile> expand(List<String> inputs, Configuration conf) {
    if (inputs.isEmpty()) {
      throw new IllegalArgumentException("no input given");
    }
    TreeMap<String, Manifest.InputFile> files = new TreeMap<>();
    for (String input : inputs) {
      try {
        Path pattern = new Path(input);
        FileSystem fs = pattern.getFileSystem(conf);
        FileStatus[] matches = fs.globStatus(pattern);
        int before = files.size();
        if (matches != null) {
          for (FileStatus match : matches) {
            collect(fs, match, files);
          }
        }
        if (files.size() == before) {
          throw new IllegalArgumentException("input '" + input + "' matched no files");
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list input '" + input + "': " + e.getMessage(), e);
      }
    }
    return new ArrayList<>(files.values());
  }

  private static void collect(FileSystem fs, FileStatus status,
      TreeMap<String, Manifest.InputFile> files) throws IOException {
    String name = status.getPath().getName();
    if (name.startsWith(".") || name.startsWith("_")) {
      return;
    }
    if (status.isDirectory()) {
      for (FileStatus child : fs.listStatus(status.getPath())) {
        collect(fs, child, files);
      }
    } else {
      String path = status.getPath().toString();
      files.put(path, new Manifest.InputFile(path, status.getLen(), status.getModificationTime()));
    }
  }
}

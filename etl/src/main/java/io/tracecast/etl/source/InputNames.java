package io.tracecast.etl.source;

/** Job and series names derived from input paths (URIs or local paths). */
final class InputNames {
  private InputNames() {}

  /** {@code hdfs://nn/rnd/2013-7/12.csv.gz} gives {@code 12}. */
  static String baseName(String path) {
    String name = path.substring(path.lastIndexOf('/') + 1);
    for (String ext : new String[] {".gz", ".csv", ".json", ".jsonl"}) {
      if (name.endsWith(ext)) {
        name = name.substring(0, name.length() - ext.length());
      }
    }
    return name;
  }

  /** {@code hdfs://nn/rnd/2013-7/12.csv.gz} gives {@code 2013-7}. */
  static String parentName(String path) {
    int slash = path.lastIndexOf('/');
    if (slash <= 0) {
      return "default";
    }
    String parent = path.substring(0, slash);
    String name = parent.substring(parent.lastIndexOf('/') + 1);
    return name.isEmpty() || name.contains(":") ? "default" : name;
  }
}

package io.tracecast.common;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/**
 * A serializable copy of a Hadoop configuration, so executors open files with the driver's
 * filesystem settings (HDFS name nodes, s3a credentials providers, ...).
 */
public final class HadoopConfSnapshot implements Serializable {
  private final Map<String, String> entries = new HashMap<>();
  private transient Configuration conf;

  public HadoopConfSnapshot(Configuration source) {
    for (Map.Entry<String, String> e : source) {
      entries.put(e.getKey(), e.getValue());
    }
  }

  public Configuration get() {
    if (conf == null) {
      Configuration c = new Configuration(false);
      entries.forEach(c::set);
      conf = c;
    }
    return conf;
  }
}

package io.tracecast.common;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;

/**
 * One section of the layered configuration (e.g. {@code tracecast.etl}) as the stage parsers
 * read it: keys relative to the section, errors that carry the full key and what was expected.
 */
public record ConfigSection(Config config, String root) {

  /** The full key, e.g. {@code tracecast.etl.lookback}. */
  public String path(String key) {
    return root + "." + key;
  }

  /** An error naming the full key, so it says exactly which setting is wrong. */
  public ConfigException bad(String key, String expected) {
    String path = path(key);
    return new ConfigException.BadValue(
        config.hasPath(path) ? config.getValue(path).origin() : config.origin(), path,
        "expected " + expected);
  }

  public long atLeast(String key, long min) {
    long v = config.getLong(path(key));
    if (v < min) {
      throw bad(key, "an integer >= " + min + ", got " + v);
    }
    return v;
  }
}

package io.tracecast.training.registry;

/**
 * One published version: {@code <registry>/<job>/<model>/v<version>/}, ids decoded.
 *
 * @param path fully qualified directory (e.g. {@code hdfs://nn/registry/job/lstm/v3})
 */
public record ModelVersion(String job, String model, int version, String path) {
  public ModelVersion {
    if (version < 1) {
      throw new IllegalArgumentException("versions start at 1, got " + version);
    }
  }
}

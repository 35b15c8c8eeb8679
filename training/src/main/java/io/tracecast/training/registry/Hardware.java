package io.tracecast.training.registry;

import java.net.InetAddress;

/** Where a model was trained, for the metadata's provenance (timings mean little without it). */
public record Hardware(String host, String os, String arch, int cpus, long maxHeapBytes,
    String java, String nd4jBackend) {

  /** This JVM; {@code nd4jBackend} is the ND4J backend class, e.g. CpuBackend or CudaBackend. */
  public static Hardware detect() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      host = "unknown";
    }
    String backend;
    try {
      backend = org.nd4j.linalg.factory.Nd4j.getBackend().getClass().getSimpleName();
    } catch (RuntimeException | LinkageError e) {
      backend = "unavailable";
    }
    return new Hardware(host, System.getProperty("os.name") + " " + System.getProperty("os.version"),
        System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory(), System.getProperty("java.version"), backend);
  }
}

package io.tracecast.training.registry;

/** A published version whose files do not match their recorded SHA-256 (or are missing). */
public final class RegistryCorruptedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public RegistryCorruptedException(String message) {
    super(message);
  }
}

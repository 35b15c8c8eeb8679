package io.tracecast.training.registry;

import java.util.Objects;

/**
 * How a user or a stage names one version of a (job, model): a version number, the latest
 * version, or an alias of the job ({@code champion}). The one parser of the spellings the
 * command line and the DAG use ({@code 3}, {@code v3}, {@code latest}, an alias name), so that
 * every registry read resolves them the same way.
 */
public sealed interface VersionRef {
  /** The newest published version of the model. */
  VersionRef LATEST = new Latest();

  record Latest() implements VersionRef {
    @Override
    public String toString() {
      return "latest";
    }
  }

  record Number(int version) implements VersionRef {
    public Number {
      if (version < 1) {
        throw new IllegalArgumentException("versions start at 1, got " + version);
      }
    }

    @Override
    public String toString() {
      return RegistryLayout.versionDir(version);
    }
  }

  record Alias(String name) implements VersionRef {
    public Alias {
      Objects.requireNonNull(name, "name");
      if (name.isBlank()) {
        throw new IllegalArgumentException("an alias needs a name");
      }
    }

    @Override
    public String toString() {
      return name;
    }
  }

  static VersionRef version(int version) {
    return new Number(version);
  }

  static VersionRef alias(String name) {
    return new Alias(name);
  }

  /** {@code 3} or {@code v3}: that version; {@code latest} (any case); else an alias name. */
  static VersionRef parse(String ref) {
    String r = Objects.requireNonNull(ref, "ref").trim();
    if (r.equalsIgnoreCase("latest")) {
      return LATEST;
    }
    if (r.matches("v?[0-9]{1,9}")) {
      return new Number(Integer.parseInt(r.startsWith("v") ? r.substring(1) : r));
    }
    return new Alias(r);
  }
}

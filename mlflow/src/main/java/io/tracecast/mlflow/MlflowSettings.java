package io.tracecast.mlflow;

import com.typesafe.config.Config;
import io.tracecast.common.ConfigSection;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code tracecast.mlflow}: where and how published versions are exported to MLflow.
 *
 * @param trackingUri the tracking server; empty when nothing is to be exported
 */
public record MlflowSettings(Optional<String> trackingUri, String experiment, String prefix,
    Duration timeout) {
  public static final String ROOT = "tracecast.mlflow";

  public MlflowSettings {
    Objects.requireNonNull(trackingUri, "trackingUri");
    Objects.requireNonNull(experiment, "experiment");
    Objects.requireNonNull(prefix, "prefix");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be > 0, got " + timeout);
    }
  }

  /** Whether a tracking server is set, i.e. whether train and evaluate export. */
  public boolean enabled() {
    return trackingUri.isPresent();
  }

  /** Reads {@code tracecast.mlflow}; every error names the full key and what was expected. */
  public static MlflowSettings parse(Config c) {
    ConfigSection s = new ConfigSection(c, ROOT);
    String uri = c.getString(s.path("tracking-uri")).trim();
    if (!uri.isEmpty()) {
      String scheme;
      try {
        scheme = URI.create(uri).getScheme();
      } catch (IllegalArgumentException e) {
        scheme = null;
      }
      if (!"http".equals(scheme) && !"https".equals(scheme)) {
        throw s.bad("tracking-uri", "an http(s)://host:port address or \"\", got '" + uri + "'");
      }
    }
    for (String key : new String[] {"experiment", "prefix"}) {
      if (c.getString(s.path(key)).isBlank()) {
        throw s.bad(key, "a non-empty name");
      }
    }
    Duration timeout = c.getDuration(s.path("timeout"));
    if (timeout.isNegative() || timeout.isZero()) {
      throw s.bad("timeout", "a duration > 0, got " + timeout);
    }
    return new MlflowSettings(uri.isEmpty() ? Optional.empty() : Optional.of(uri),
        c.getString(s.path("experiment")), c.getString(s.path("prefix")), timeout);
  }
}

package io.tracecast.training.registry;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The tracecast version for a model's provenance: the Maven project version (filtered into
 * {@code tracecast-version.properties} at build time) plus the git revision when the launcher
 * exports {@code TRACECAST_GIT_REVISION}.
 */
public final class CodeVersion {
  private CodeVersion() {}

  public static String current() {
    String version = "unknown";
    try (InputStream in = CodeVersion.class.getResourceAsStream(
        "/tracecast-version.properties")) {
      if (in != null) {
        Properties p = new Properties();
        p.load(in);
        version = p.getProperty("version", version);
      }
    } catch (IOException e) {
      // provenance degrades to "unknown" rather than failing a training run
    }
    String rev = System.getenv("TRACECAST_GIT_REVISION");
    return rev == null || rev.isBlank() ? version : version + "+" + rev.trim();
  }
}

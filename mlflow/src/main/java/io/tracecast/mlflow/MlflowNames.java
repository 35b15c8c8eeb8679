package io.tracecast.mlflow;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * How tracecast's ids become MLflow names: one registered model per (job, model kind),
 * {@code <prefix>.<job>.<model>}, e.g. {@code tracecast.m_1932.lstm}. Ids keep
 * {@code [A-Za-z0-9_-]}; every other UTF-8 byte, '.' included, becomes {@code ~XX} (hex), so
 * the two '.' separators are unambiguous (distinct (job, model) pairs get distinct names), and
 * names hold no quote, slash, space or '%': they are safe in MLflow's search filters
 * ({@code name = '...'}), in {@code models:/<name>@champion} URIs and in URLs. The tags of the
 * registered model and of each version carry the ids verbatim ({@link #TAG_JOB} ...).
 */
public final class MlflowNames {
  public static final String DEFAULT_PREFIX = "tracecast";
  /** Tag keys (runs, registered models, versions); the values are tracecast's ids verbatim. */
  public static final String TAG_JOB = "tracecast.job";
  public static final String TAG_MODEL = "tracecast.model";
  /** The tracecast version number, decimal. */
  public static final String TAG_VERSION = "tracecast.version";
  /** {@code <job>/<model>/v<N>}: how the export finds a version it made before. */
  public static final String TAG_VERSION_ID = "tracecast.version_id";
  /** The tracecast registry root (fully qualified) the registered model is exported from. */
  public static final String TAG_REGISTRY = "tracecast.registry";
  /** On a run once every param, metric and artifact is in: a run without it is redone. */
  public static final String TAG_EXPORT_COMPLETE = "tracecast.export_complete";
  /** Where a run's copy of the version's files lies, under its artifact root. */
  public static final String ARTIFACT_DIR = "model";
  /** Run artifacts beside {@link #ARTIFACT_DIR}: evaluate's interval calibration. */
  public static final String INTERVALS_DIR = "intervals";

  private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  /** What MLflow accepts as an alias, minus its reserved {@code latest} and {@code v<N>}. */
  private static final Pattern ALIAS = Pattern.compile("[A-Za-z0-9_-]{1,255}");
  private static final Pattern RESERVED_ALIAS = Pattern.compile("latest|v[0-9]+");
  private static final int MAX_NAME = 256;
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private MlflowNames() {}

  /** The registered model of (job, model) under {@code prefix}. */
  public static String registeredModel(String prefix, String job, String model) {
    if (prefix == null || !PREFIX.matcher(prefix).matches()) {
      throw new IllegalArgumentException("MLflow name prefix '" + prefix + "': expected 1-64 "
          + "characters of [A-Za-z0-9_-]");
    }
    String name = prefix + "." + escape(job, "job") + "." + escape(model, "model");
    if (name.length() > MAX_NAME) {
      throw new IllegalArgumentException("MLflow registered model name for " + job + "/" + model
          + " is " + name.length() + " characters, at most " + MAX_NAME);
    }
    return name;
  }

  /**
   * The run artifact of a version's interval calibration: {@code intervals/<fingerprint>.json},
   * the dataset fingerprint escaped like an id (a hex SHA-256 stays as it is).
   */
  public static String intervalsArtifact(String datasetFingerprint) {
    return INTERVALS_DIR + "/" + escape(datasetFingerprint, "dataset fingerprint") + ".json";
  }

  /** {@code <job>/<model>/v<N>}, the value of {@link #TAG_VERSION_ID}. */
  public static String versionId(String job, String model, int version) {
    return job + "/" + model + "/v" + version;
  }

  /**
   * Whether MLflow takes {@code alias} as a registered-model alias: letters, digits, '_' and
   * '-', and not {@code latest} or {@code v<N>}, which MLflow reserves for version references.
   */
  public static boolean usableAlias(String alias) {
    return ALIAS.matcher(alias).matches()
        && !RESERVED_ALIAS.matcher(alias.toLowerCase(Locale.ROOT)).matches();
  }

  /** {@code name} unchanged, after checking it can stand between single quotes in a filter. */
  static String requireQuotable(String name) {
    if (name.indexOf('\'') >= 0 || name.indexOf('\\') >= 0) {
      throw new IllegalArgumentException("'" + name + "' cannot be quoted in an MLflow filter");
    }
    return name;
  }

  private static String escape(String id, String what) {
    if (id == null || id.isEmpty()) {
      throw new IllegalArgumentException(what + " id must not be empty");
    }
    StringBuilder sb = new StringBuilder();
    for (byte raw : id.getBytes(StandardCharsets.UTF_8)) {
      int b = raw & 0xff;
      boolean keep = (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9')
          || b == '_' || b == '-';
      if (keep) {
        sb.append((char) b);
      } else {
        sb.append('~').append(HEX[b >> 4]).append(HEX[b & 0xf]);
      }
    }
    return sb.toString();
  }
}

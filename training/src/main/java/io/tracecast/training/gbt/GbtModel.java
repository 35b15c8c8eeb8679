package io.tracecast.training.gbt;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracecast.training.registry.ModelFamily;
import io.tracecast.training.registry.ModelMetadata;
import io.tracecast.training.registry.ModelRegistry;
import io.tracecast.training.registry.ModelVersion;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * A fitted GBT forecaster: one XGBoost booster per output column (column k = {@code targets[k]}
 * of a window: horizon step {@code k / targets}, target {@code k % targets}), the spec it was
 * trained with, and the {@link GbtFeatures} layout its inputs need. Stored in the registry as
 * family {@link ModelFamily#GBT}: the boosters in XGBoost's own UBJSON format, one file each
 * ({@code model-<k>.ubj}), and spec and layout in the metadata's {@code params}
 * ({@link #params}). Reading needs no Spark session: executors call {@link #load}.
 */
public final class GbtModel {
  static final String FORMAT = "ubj";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final GbtSpec spec;
  private final GbtFeatures features;
  private final List<Booster> boosters;

  public GbtModel(GbtSpec spec, GbtFeatures features, List<Booster> boosters) {
    if (boosters.isEmpty()) {
      throw new IllegalArgumentException("a GBT model needs at least one booster");
    }
    this.spec = spec;
    this.features = features;
    this.boosters = List.copyOf(boosters);
  }

  public GbtSpec spec() {
    return spec;
  }

  public GbtFeatures features() {
    return features;
  }

  public int outputColumns() {
    return boosters.size();
  }

  /** The registry file name of output column k's booster. */
  public static String fileName(int column) {
    return "model-" + column + "." + FORMAT;
  }

  /**
   * Forecasts for a batch of windows' model-space inputs: flat {@code batch x outputColumns},
   * row-major, in the same space as the dataset's {@code targets}.
   */
  public float[] predict(List<float[]> inputs) {
    int n = inputs.size();
    int cols = outputColumns();
    float[] out = new float[n * cols];
    if (n == 0) {
      return out;
    }
    DMatrix x = null;
    try {
      x = new DMatrix(features.matrix(inputs), n, features.width(), Float.NaN);
      for (int k = 0; k < cols; k++) {
        float[][] p = boosters.get(k).predict(x);
        for (int i = 0; i < n; i++) {
          out[i * cols + k] = p[i][0];
        }
      }
      return out;
    } catch (XGBoostError e) {
      throw new IllegalStateException("GBT prediction failed: " + e.getMessage(), e);
    } finally {
      if (x != null) {
        x.dispose();
      }
    }
  }

  /** The boosters serialised by XGBoost, by registry file name. */
  public Map<String, byte[]> toFiles() {
    Map<String, byte[]> out = new LinkedHashMap<>();
    try {
      for (int k = 0; k < boosters.size(); k++) {
        out.put(fileName(k), boosters.get(k).toByteArray(FORMAT));
      }
    } catch (XGBoostError e) {
      throw new IllegalStateException("cannot serialise GBT booster: " + e.getMessage(), e);
    }
    return out;
  }

  /** The model {@link #toFiles} wrote, with the spec and layout from its metadata. */
  public static GbtModel fromFiles(GbtSpec spec, GbtFeatures features, int outputColumns,
      Map<String, byte[]> files) {
    List<Booster> boosters = new ArrayList<>();
    for (int k = 0; k < outputColumns; k++) {
      byte[] bytes = files.get(fileName(k));
      if (bytes == null) {
        throw new IllegalArgumentException("GBT model files lack " + fileName(k) + " (have "
            + files.keySet() + ")");
      }
      try {
        boosters.add(XGBoost.loadModel(bytes));
      } catch (XGBoostError | IOException e) {
        throw new IllegalArgumentException("cannot read GBT booster " + fileName(k) + ": " + e,
            e);
      }
    }
    return new GbtModel(spec, features, boosters);
  }

  /**
   * The metadata {@code params} of this model: the spec's fields ({@code spec}), the feature
   * layout ({@code lookback}, {@code channels}, and {@code featureNames} for readers) and the
   * output columns; {@code extra} (e.g. {@code bestRounds}, {@code pooledOver}) is added as is.
   */
  public Map<String, Object> params(Map<String, Object> extra) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("spec", JSON.convertValue(spec, Map.class));
    p.put("lookback", features.lookback());
    p.put("channels", features.channels());
    p.put("featureNames", features.names());
    p.put("outputColumns", outputColumns());
    p.putAll(extra);
    return p;
  }

  /** Reads a GBT version from the registry, checksums verified. */
  public static GbtModel load(ModelRegistry registry, ModelVersion version) {
    return load(registry, version, registry.metadata(version));
  }

  /** Reads a GBT version from the registry with its metadata, checksums verified. */
  public static GbtModel load(ModelRegistry registry, ModelVersion version,
      ModelMetadata m) {
    if (m.family() != ModelFamily.GBT) {
      throw new IllegalArgumentException(version.job() + "/" + version.model() + " v"
          + version.version() + " is a " + m.family().id() + " model, not gbt");
    }
    Map<String, Object> p = m.params();
    GbtSpec spec = JSON.convertValue(p.get("spec"), GbtSpec.class);
    List<String> channels = new ArrayList<>();
    ((List<?>) p.get("channels")).forEach(c -> channels.add((String) c));
    GbtFeatures features = new GbtFeatures(((Number) p.get("lookback")).intValue(), channels);
    int columns = ((Number) p.get("outputColumns")).intValue();
    Map<String, byte[]> files = new LinkedHashMap<>();
    for (int k = 0; k < columns; k++) {
      files.put(fileName(k), registry.readFile(version, fileName(k)));
    }
    return fromFiles(spec, features, columns, files);
  }

  /** Round-trips through {@link #toFiles}: the model used is exactly the one stored. */
  GbtModel stored() {
    return fromFiles(spec, features, outputColumns(), toFiles());
  }

}

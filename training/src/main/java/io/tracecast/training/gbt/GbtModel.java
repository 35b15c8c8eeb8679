package io.tracecast.training.gbt;

import io.tracecast.etl.dataset.WindowRollout;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracecast.training.registry.ModelFamily;
import io.tracecast.training.registry.ModelMetadata;
import io.tracecast.training.registry.ModelOutput;
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
 * A fitted GBT forecaster: the spec it was trained with, the {@link GbtFeatures} layout its
 * inputs need and its boosters. Output column k is {@code targets[k]} of a window: horizon step
 * {@code k / targets}, target {@code k % targets}. With the direct strategy there is one booster
 * per output column. With the recursive one, every booster learns the next step: per target one
 * on every input channel forecasts step 1, and (for H > 1) one on the channels a rolled window
 * knows exactly ({@link WindowRollout#knownChannels}: targets, seasonal lags, calendar) forecasts
 * steps 2..H from windows that the {@link WindowRollout} moves ahead by the forecasts. A booster on
 * every channel would see the other metrics held at their last value from step 2 on, inputs it
 * never saw in training: on Bitbrains VM 1 at H = 3 that took step 3's error from direct's 0.44
 * to 0.73 (model space), against 0.45 with the known channels only. With the step-feature
 * strategy there is one booster per target, on the {@link GbtFeatures#stepped} layout: window
 * i's feature row for step h yields output column {@code (h - 1) * targets + k} of booster k.
 * A quantile model ({@link GbtSpec#quantiles}) forecasts every level of each column, one booster
 * output per level, laid out as the registry contract's {@link ModelOutput} says and sorted
 * where levels cross. A recursive quantile model feeds back its point (the level nearest 0.5)
 * and gives step h the spread of step h's booster outputs around that point: the one-step
 * uncertainty of the rolled window, which does not grow with h as the error of fed-back
 * forecasts does.
 * Stored in the registry as
 * family {@link ModelFamily#GBT}: the boosters in XGBoost's own UBJSON format, one file each
 * ({@code model-<k>.ubj}), and spec and layout in the metadata's {@code params}
 * ({@link #params}). Reading needs no Spark session: executors call {@link #load}.
 */
public final class GbtModel {
  static final String FORMAT = "ubj";
  private static final String ROLLOUT = "rollout";
  private static final String SPEC = "spec";
  private static final String STEPS = "steps";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final GbtSpec spec;
  private final GbtFeatures features;
  private final List<Booster> boosters;
  /** The recursive strategy's window stepping; null for the others. */
  private final WindowRollout rollout;
  private final int outputColumns;

  private GbtModel(GbtSpec spec, GbtFeatures features, List<Booster> boosters, WindowRollout rollout,
      int outputColumns) {
    if (boosters.isEmpty()) {
      throw new IllegalArgumentException("a GBT model needs at least one booster");
    }
    if (spec.stepFeature() != features.stepped()) {
      throw new IllegalArgumentException(spec.strategy() + " GBT model with "
          + (features.stepped() ? "" : "no ") + "step feature");
    }
    if (boosters.size() != boostersFor(spec, features, rollout, outputColumns)) {
      throw new IllegalArgumentException(spec.strategy() + " GBT model of " + outputColumns
          + " output columns has " + boosters.size() + " boosters");
    }
    this.spec = spec;
    this.features = features;
    this.boosters = List.copyOf(boosters);
    this.rollout = spec.recursive() ? rollout : null;
    this.outputColumns = outputColumns;
  }

  /**
   * A model of {@code outputColumns} ({@code horizon x targets}) outputs from its boosters
   * ({@link #boostersFor} of them); {@code rollout} is needed by the recursive strategy only,
   * {@code features} must have the step feature exactly when the strategy is step-feature
   * ({@link GbtFeatures#of}).
   */
  public static GbtModel of(GbtSpec spec, GbtFeatures features, List<Booster> boosters,
      WindowRollout rollout, int outputColumns) {
    return new GbtModel(spec, features, boosters, rollout, outputColumns);
  }

  /**
   * Boosters a model of {@code outputColumns} outputs has: one per column (direct) or one per
   * target (recursive, which needs the {@code rollout} that says how many targets there are;
   * step-feature, {@code outputColumns} over the layout's steps).
   */
  public static int boostersFor(GbtSpec spec, GbtFeatures features, WindowRollout rollout,
      int outputColumns) {
    if (spec.stepFeature()) {
      if (!features.stepped() || outputColumns % features.steps() != 0) {
        throw new IllegalArgumentException(outputColumns + " output columns are not a whole "
            + "horizon of the layout's " + features.steps() + " steps");
      }
      return outputColumns / features.steps();
    }
    if (!spec.recursive()) {
      return outputColumns;
    }
    int targets = targetsOf(rollout);
    if (outputColumns % targets != 0) {
      throw new IllegalArgumentException(outputColumns + " output columns are not a whole "
          + "horizon of " + targets + " targets");
    }
    return outputColumns == targets ? targets : 2 * targets;
  }

  /**
   * Booster k's label column within a feature row's block of labels ({@link #labelIndex}):
   * direct, its own; recursive, the first step's target k; step-feature, target k.
   */
  public static int labelOf(GbtSpec spec, WindowRollout rollout, int k) {
    return spec.recursive() ? k % targetsOf(rollout) : k;
  }

  /**
   * Where in a window's flat targets ({@code outputColumns} = horizon x targets) the label of
   * its feature row {@code row} ({@link GbtFeatures#rows}) for label column {@code column} is:
   * each row owns the block of {@code outputColumns / rowsPerWindow} columns of its step (all of
   * them with one row per window).
   */
  public static int labelIndex(GbtFeatures features, int outputColumns, int row, int column) {
    return row * (outputColumns / features.rowsPerWindow()) + column;
  }

  /** Whether booster k reads the known channels only (recursive, steps 2..H). */
  public static boolean seesKnownOnly(GbtSpec spec, WindowRollout rollout, int k) {
    return spec.recursive() && k >= targetsOf(rollout);
  }

  /** The feature layout of the known channels of {@code features}' windows. */
  public static GbtFeatures knownFeatures(GbtFeatures features, WindowRollout rollout) {
    return new GbtFeatures(features.lookback(),
        rollout.knownChannels().stream().map(features.channels()::get).toList());
  }

  private static int targetsOf(WindowRollout rollout) {
    if (rollout == null) {
      throw new IllegalArgumentException("the recursive GBT strategy feeds forecasts back as "
          + "inputs and needs every target among the dataset's input features (else set "
          + "tracecast.train.gbt.strategy = direct or step-feature)");
    }
    return rollout.targets();
  }

  public GbtSpec spec() {
    return spec;
  }

  public GbtFeatures features() {
    return features;
  }

  /** Target values per window ({@code horizon x targets}): the boosters' label columns. */
  public int outputColumns() {
    return outputColumns;
  }

  /** Values per window of {@link #predict}: every output column's levels (1 for point trees). */
  public int outputWidth() {
    return outputColumns * spec.outputsPerTarget();
  }

  /** The recursive strategy's window stepping, or null (direct, step-feature). */
  public WindowRollout rollout() {
    return rollout;
  }

  /** The registry file name of output column k's booster. */
  public static String fileName(int column) {
    return "model-" + column + "." + FORMAT;
  }

  /**
   * Forecasts for a batch of windows' model-space inputs: flat {@code batch x outputWidth()},
   * row-major, in the same space as the dataset's {@code targets}; per output column its levels
   * ascending ({@link ModelOutput#column}).
   */
  public float[] predict(List<float[]> inputs) {
    int n = inputs.size();
    int cols = outputColumns();
    int q = spec.outputsPerTarget();
    if (n == 0) {
      return new float[0];
    }
    if (rollout == null) {
      // direct: one row per window, a booster per column; step-feature: the rows of window i
      // are its steps, so row-major (row, booster) is already (window, step, target)
      return boost(features, inputs, 0, boosters.size());
    }
    int targets = rollout.targets();
    int point = ModelOutput.pointIndex(spec.quantiles());
    GbtFeatures known = cols == targets ? null : knownFeatures(features, rollout);
    // every step's booster outputs (per window targets x q), in the order the rollout asks
    List<float[]> stepOutputs = new ArrayList<>();
    float[][] points = rollout.forecast(inputs, cols / targets,
        w -> points(stepOutputs, boost(features, w, 0, targets), targets, point),
        w -> points(stepOutputs, boost(known, w.stream().map(rollout::known).toList(), targets,
            targets), targets, point));
    // level l of step h = the step's point (accumulated by the rollout) + level l's offset from
    // the point in that step's outputs: exact for the point itself, in either normalisation
    float[] out = new float[n * cols * q];
    for (int h = 0; h < stepOutputs.size(); h++) {
      float[] step = stepOutputs.get(h);
      for (int i = 0; i < n; i++) {
        for (int t = 0; t < targets; t++) {
          int j = h * targets + t;
          int at = (i * targets + t) * q;
          for (int l = 0; l < q; l++) {
            out[i * cols * q + ModelOutput.column(j, l, q)] =
                points[i][j] + (step[at + l] - step[at + point]);
          }
        }
      }
    }
    return out;
  }

  /**
   * Keeps one step's booster outputs ({@code windows x targets x q}) and returns its point per
   * window and target, what the rollout feeds back.
   */
  private float[][] points(List<float[]> stepOutputs, float[] flat, int targets, int point) {
    stepOutputs.add(flat);
    int q = spec.outputsPerTarget();
    float[][] out = new float[flat.length / (targets * q)][targets];
    for (int i = 0; i < out.length; i++) {
      for (int t = 0; t < targets; t++) {
        out[i][t] = flat[(i * targets + t) * q + point];
      }
    }
    return out;
  }

  /**
   * Boosters {@code from .. from + count - 1} on each feature row of the windows: flat
   * {@code (windows x rowsPerWindow) x count x q} (q outputs per booster,
   * {@link GbtSpec#outputsPerTarget}), row-major, each booster's levels sorted.
   */
  private float[] boost(GbtFeatures layout, List<float[]> inputs, int from, int count) {
    int n = inputs.size() * layout.rowsPerWindow();
    int q = spec.outputsPerTarget();
    float[] out = new float[n * count * q];
    DMatrix x = null;
    try {
      x = new DMatrix(layout.matrix(inputs), n, layout.width(), Float.NaN);
      for (int k = 0; k < count; k++) {
        float[][] p = boosters.get(from + k).predict(x);
        for (int i = 0; i < n; i++) {
          System.arraycopy(p[i], 0, out, (i * count + k) * q, q);
        }
      }
      ModelOutput.sortQuantiles(out, q);
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
  public static GbtModel fromFiles(GbtSpec spec, GbtFeatures features, WindowRollout rollout,
      int outputColumns, Map<String, byte[]> files) {
    List<Booster> boosters = new ArrayList<>();
    for (int k = 0; k < boostersFor(spec, features, rollout, outputColumns); k++) {
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
    return new GbtModel(spec, features, boosters, rollout, outputColumns);
  }

  /**
   * The metadata {@code params} of this model: the spec's fields ({@code spec}), the feature
   * layout ({@code lookback}, {@code channels}, {@code steps} where the step is a feature, and
   * {@code featureNames} for readers), the
   * output columns and, for the recursive strategy, the {@code rollout}; {@code extra} (e.g.
   * {@code bestRounds}, {@code pooledOver}) is added as is.
   */
  public Map<String, Object> params(Map<String, Object> extra) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put(SPEC, JSON.convertValue(spec, Map.class));
    p.put("lookback", features.lookback());
    p.put("channels", features.channels());
    if (features.stepped()) {
      p.put(STEPS, features.steps());
    }
    p.put("featureNames", features.names());
    p.put("outputColumns", outputColumns());
    if (rollout != null) {
      p.put(ROLLOUT, JSON.convertValue(rollout, Map.class));
    }
    p.putAll(extra);
    return p;
  }

  /** Reads a GBT version from the registry, checksums verified. */
  public static GbtModel load(ModelRegistry registry, ModelVersion version) {
    return load(registry, version, registry.metadata(version));
  }

  /**
   * The spec a GBT version's metadata holds ({@link #params}); a version written before a
   * field existed gets that field's former meaning (no quantiles: point trees).
   */
  public static GbtSpec spec(ModelMetadata m) {
    if (m.family() != ModelFamily.GBT) {
      throw new IllegalArgumentException(m.job() + "/" + m.model() + " is a "
          + m.family().id() + " model, not gbt");
    }
    return JSON.convertValue(m.params().get(SPEC), GbtSpec.class);
  }

  /** Reads a GBT version from the registry with its metadata, checksums verified. */
  public static GbtModel load(ModelRegistry registry, ModelVersion version,
      ModelMetadata m) {
    if (m.family() != ModelFamily.GBT) {
      throw new IllegalArgumentException(version.job() + "/" + version.model() + " v"
          + version.version() + " is a " + m.family().id() + " model, not gbt");
    }
    Map<String, Object> p = m.params();
    GbtSpec spec = spec(m);
    List<String> channels = new ArrayList<>();
    ((List<?>) p.get("channels")).forEach(c -> channels.add((String) c));
    // versions written before the step feature existed have no steps: one row per window
    int steps = p.containsKey(STEPS) ? ((Number) p.get(STEPS)).intValue() : 0;
    GbtFeatures features = new GbtFeatures(((Number) p.get("lookback")).intValue(), channels,
        steps);
    int columns = ((Number) p.get("outputColumns")).intValue();
    WindowRollout rollout = p.containsKey(ROLLOUT) ? JSON.convertValue(p.get(ROLLOUT), WindowRollout.class)
        : null;
    Map<String, byte[]> files = new LinkedHashMap<>();
    for (int k = 0; k < boostersFor(spec, features, rollout, columns); k++) {
      files.put(fileName(k), registry.readFile(version, fileName(k)));
    }
    return fromFiles(spec, features, rollout, columns, files);
  }

  /** Round-trips through {@link #toFiles}: the model used is exactly the one stored. */
  GbtModel stored() {
    return fromFiles(spec, features, rollout, outputColumns(), toFiles());
  }

}

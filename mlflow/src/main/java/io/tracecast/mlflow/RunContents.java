package io.tracecast.mlflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracecast.mlflow.MlflowApi.Metric;
import io.tracecast.mlflow.MlflowApi.Param;
import io.tracecast.mlflow.MlflowApi.Tag;
import io.tracecast.training.registry.ModelMetadata;
import io.tracecast.training.registry.ModelVersion;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * What a tracecast version becomes in its MLflow run, from its {@link ModelMetadata}:
 * <ul>
 *   <li>params: the spec ({@code spec.units}, {@code spec.training.learningRate}, ...), the
 *       window shape ({@code shape.*}), a non-network family's {@code params.*}, the lineage
 *       ({@code lineage.pattern.members}, {@code lineage.fineTuned.kept}, ...), the family,
 *       features and targets; nested objects flattened with '.', lists as JSON;</li>
 *   <li>tags (lineage): the ids, registry and version path, dataset fingerprint and path, code
 *       version, creation time, hardware, best epoch;</li>
 *   <li>metrics: the training curve, one point per epoch ({@code step} = epoch):
 *       {@code training/train_loss}, {@code training/validation_loss},
 *       {@code training/validation_mae} (model space, as trained; NaN points, as without
 *       validation data, are left out), plus {@code training/wall_seconds} and
 *       {@code training/samples_per_second}.</li>
 * </ul>
 * Values beyond MLflow's length limits are left out and named in the tag
 * {@value #TAG_OMITTED}; {@code metadata.json} among the run's artifacts holds everything.
 */
public record RunContents(List<Param> params, List<Tag> tags, List<Metric> metrics) {
  public static final String TAG_OMITTED = "tracecast.omitted_params";
  static final int MAX_PARAM_VALUE = 6000;
  static final int MAX_TAG_VALUE = 5000;
  static final int MAX_KEY = 250;
  /** The characters MLflow allows in param and metric keys. */
  private static final java.util.regex.Pattern PARAM_KEY =
      java.util.regex.Pattern.compile("[/\\w.\\- :]+");
  private static final ObjectMapper JSON = new ObjectMapper();

  public RunContents {
    params = List.copyOf(params);
    tags = List.copyOf(tags);
    metrics = List.copyOf(metrics);
  }

  /** The run of {@code v}, published with {@code m}, from the registry at {@code registryRoot}. */
  public static RunContents of(ModelVersion v, ModelMetadata m, String registryRoot) {
    List<Param> params = new ArrayList<>();
    List<String> omitted = new ArrayList<>();
    params.add(new Param("family", m.family().id()));
    flatten("spec", m.spec() == null ? null : JSON.valueToTree(m.spec()), params, omitted);
    flatten("shape", JSON.valueToTree(m.shape()), params, omitted);
    flatten("params", JSON.valueToTree(m.params()), params, omitted);
    flatten("lineage", JSON.valueToTree(m.lineage()), params, omitted);
    add(params, omitted, "features", JSON.valueToTree(m.features()).toString());
    add(params, omitted, "targets", JSON.valueToTree(m.targets()).toString());

    List<Tag> tags = new ArrayList<>(identity(v, registryRoot));
    tags.add(new Tag("tracecast.path", v.path()));
    tags.add(new Tag("tracecast.dataset_fingerprint", m.datasetFingerprint()));
    tags.add(new Tag("tracecast.dataset_path", String.valueOf(m.datasetPath())));
    tags.add(new Tag("tracecast.code_version", String.valueOf(m.codeVersion())));
    tags.add(new Tag("tracecast.created_at", String.valueOf(m.createdAt())));
    tags.add(new Tag("tracecast.hardware", clip(JSON.valueToTree(m.hardware()).toString())));
    tags.add(new Tag("tracecast.best_epoch", Integer.toString(m.history().bestEpoch())));
    if (!omitted.isEmpty()) {
      tags.add(new Tag(TAG_OMITTED, clip(String.join(",", omitted))));
    }
    return new RunContents(params, tags, curve(m));
  }

  /** The tags that identify a version wherever it is exported (run, model version). */
  public static List<Tag> identity(ModelVersion v, String registryRoot) {
    return List.of(new Tag(MlflowNames.TAG_JOB, v.job()), new Tag(MlflowNames.TAG_MODEL, v.model()),
        new Tag(MlflowNames.TAG_VERSION, Integer.toString(v.version())),
        new Tag(MlflowNames.TAG_VERSION_ID,
            MlflowNames.versionId(v.job(), v.model(), v.version())),
        new Tag(MlflowNames.TAG_REGISTRY, registryRoot));
  }

  /** Epoch milliseconds of the version's creation; 0 when its metadata has no readable time. */
  static long createdMillis(ModelMetadata m) {
    try {
      return m.createdAt() == null ? 0 : Instant.parse(m.createdAt()).toEpochMilli();
    } catch (DateTimeParseException e) {
      return 0;
    }
  }

  private static List<Metric> curve(ModelMetadata m) {
    long t = createdMillis(m);
    List<Metric> out = new ArrayList<>();
    for (ModelMetadata.Epoch e : m.history().epochs()) {
      point(out, "training/train_loss", e.trainLoss(), t, e.epoch());
      point(out, "training/validation_loss", e.validationLoss(), t, e.epoch());
      point(out, "training/validation_mae", e.validationMae(), t, e.epoch());
    }
    point(out, "training/wall_seconds", m.history().wallSeconds(), t, 0);
    point(out, "training/samples_per_second", m.history().samplesPerSecond(), t, 0);
    return out;
  }

  private static void point(List<Metric> out, String key, double value, long t, long step) {
    if (Double.isFinite(value)) {
      out.add(new Metric(key, value, t, step));
    }
  }

  private static void flatten(String key, JsonNode node, List<Param> out, List<String> omitted) {
    if (node == null || node.isNull()) {
      return;
    }
    if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> f = it.next();
        flatten(key + "." + f.getKey(), f.getValue(), out, omitted);
      }
    } else {
      add(out, omitted, key, node.isTextual() ? node.asText() : node.toString());
    }
  }

  private static void add(List<Param> out, List<String> omitted, String key, String value) {
    if (key.length() > MAX_KEY || !PARAM_KEY.matcher(key).matches()
        || value.length() > MAX_PARAM_VALUE) {
      omitted.add(key);
    } else {
      out.add(new Param(key, value));
    }
  }

  private static String clip(String s) {
    return s.length() <= MAX_TAG_VALUE ? s : s.substring(0, MAX_TAG_VALUE - 3) + "...";
  }
}

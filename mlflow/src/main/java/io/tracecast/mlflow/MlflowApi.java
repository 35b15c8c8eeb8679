package io.tracecast.mlflow;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The messages of MLflow's REST API (tracking and model registry, {@code /api/2.0/mlflow/...})
 * that the export uses, as records: the one home of the wire format. {@link MlflowRest} maps
 * field names to MLflow's snake_case ({@code runId} is {@code run_id}), leaves nulls out of
 * requests and ignores response fields not named here, so a newer server's additions are
 * harmless. Lists absent from a response (MLflow omits empty ones) read as empty.
 */
public final class MlflowApi {
  private MlflowApi() {}

  /** A tag, as runs, registered models and model versions carry them. */
  public record Tag(String key, String value) {}

  public record Param(String key, String value) {}

  /**
   * One metric point. {@code timestamp} in epoch milliseconds; {@code step} orders a metric's
   * history (the epoch for training curves).
   */
  public record Metric(String key, double value, long timestamp, long step) {}

  // ---- experiments

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Experiment(String experimentId, String name, String lifecycleStage) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record GetExperimentResponse(Experiment experiment) {}

  public record CreateExperiment(String name) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record CreateExperimentResponse(String experimentId) {}

  // ---- runs

  public record CreateRun(String experimentId, String runName, long startTime, List<Tag> tags) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record RunInfo(String runId, String experimentId, String runName, String status,
      String artifactUri, String lifecycleStage) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record RunData(List<Metric> metrics, List<Param> params, List<Tag> tags) {
    public RunData {
      metrics = metrics == null ? List.of() : List.copyOf(metrics);
      params = params == null ? List.of() : List.copyOf(params);
      tags = tags == null ? List.of() : List.copyOf(tags);
    }

    /** Tags by key. */
    public Map<String, String> tagMap() {
      Map<String, String> out = new TreeMap<>();
      tags.forEach(t -> out.put(t.key(), t.value()));
      return out;
    }
  }

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Run(RunInfo info, RunData data) {
    public Run {
      data = data == null ? new RunData(null, null, null) : data;
    }
  }

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record RunResponse(Run run) {}

  public record SearchRuns(List<String> experimentIds, String filter, int maxResults,
      String pageToken) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record SearchRunsResponse(List<Run> runs, String nextPageToken) {
    public SearchRunsResponse {
      runs = runs == null ? List.of() : List.copyOf(runs);
    }
  }

  /** At most 1000 metrics, 100 params and 100 tags per call (MLflow's limits). */
  public record LogBatch(String runId, List<Metric> metrics, List<Param> params, List<Tag> tags) {}

  public record UpdateRun(String runId, String status, long endTime) {}

  public record RunId(String runId) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record MetricHistoryResponse(List<Metric> metrics, String nextPageToken) {
    public MetricHistoryResponse {
      metrics = metrics == null ? List.of() : List.copyOf(metrics);
    }
  }

  // ---- model registry

  public record CreateRegisteredModel(String name, List<Tag> tags, String description) {}

  /** An alias of a registered model and the version (a decimal string) it points at. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Alias(String alias, String version) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record RegisteredModel(String name, List<Tag> tags, List<Alias> aliases) {
    public RegisteredModel {
      tags = tags == null ? List.of() : List.copyOf(tags);
      aliases = aliases == null ? List.of() : List.copyOf(aliases);
    }
  }

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record RegisteredModelResponse(RegisteredModel registeredModel) {}

  public record SetRegisteredModelTag(String name, String key, String value) {}

  public record SetAlias(String name, String alias, String version) {}

  public record DeleteAlias(String name, String alias) {}

  public record CreateModelVersion(String name, String source, String runId, List<Tag> tags,
      String description) {}

  /** {@code version} is a decimal string, as MLflow sends it. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record ModelVersion(String name, String version, String runId, String source,
      String status, List<Tag> tags, List<String> aliases) {
    public ModelVersion {
      tags = tags == null ? List.of() : List.copyOf(tags);
      aliases = aliases == null ? List.of() : List.copyOf(aliases);
    }

    /** Tags by key. */
    public Map<String, String> tagMap() {
      Map<String, String> out = new TreeMap<>();
      tags.forEach(t -> out.put(t.key(), t.value()));
      return out;
    }
  }

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record ModelVersionResponse(ModelVersion modelVersion) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record SearchModelVersionsResponse(List<ModelVersion> modelVersions,
      String nextPageToken) {
    public SearchModelVersionsResponse {
      modelVersions = modelVersions == null ? List.of() : List.copyOf(modelVersions);
    }
  }

  /** An error body: {@code {"error_code": "RESOURCE_DOES_NOT_EXIST", "message": "..."}}. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Error(String errorCode, String message) {}
}

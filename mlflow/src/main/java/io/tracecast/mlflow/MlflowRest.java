package io.tracecast.mlflow;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.tracecast.mlflow.MlflowApi.Experiment;
import io.tracecast.mlflow.MlflowApi.Metric;
import io.tracecast.mlflow.MlflowApi.ModelVersion;
import io.tracecast.mlflow.MlflowApi.Param;
import io.tracecast.mlflow.MlflowApi.RegisteredModel;
import io.tracecast.mlflow.MlflowApi.Run;
import io.tracecast.mlflow.MlflowApi.Tag;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The MLflow REST calls the export makes, one method each, over the JDK's
 * {@link HttpClient} with Jackson-mapped {@link MlflowApi} records. MLflow's Java client
 * ({@code org.mlflow:mlflow-client}, 2.17.2 the newest on Maven Central) has no calls to create
 * registered models or versions, set aliases or tag versions, and uploads artifacts by running
 * the Python {@code mlflow} command; this class needs neither Python nor a dependency.
 *
 * <p>Artifacts go through the tracking server's artifact proxy ({@code mlflow server} serves
 * artifacts by default, {@code --artifacts-destination} says where they land), so run artifact
 * URIs are {@code mlflow-artifacts:/...}; other artifact stores (S3, local paths) would need
 * their own clients and are refused with a message.
 */
public final class MlflowRest {
  private static final String API = "/api/2.0/mlflow/";
  private static final String ARTIFACTS_API = "/api/2.0/mlflow-artifacts/artifacts/";
  private static final String PROXIED_SCHEME = "mlflow-artifacts";
  /** MLflow's limits per log-batch call. */
  static final int BATCH_METRICS = 1000;
  static final int BATCH_PARAMS = 100;
  static final int BATCH_TAGS = 100;
  private static final int PAGE = 1000;

  private final URI base;
  private final HttpClient http;
  private final Duration timeout;
  private final ObjectMapper json = JsonMapper.builder()
      .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .serializationInclusion(JsonInclude.Include.NON_NULL)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();

  /** {@code trackingUri}: the server's base, e.g. {@code http://127.0.0.1:5000}. */
  public MlflowRest(String trackingUri, Duration timeout) {
    URI u = URI.create(trackingUri.endsWith("/")
        ? trackingUri.substring(0, trackingUri.length() - 1) : trackingUri);
    if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme())) {
      throw new IllegalArgumentException("MLflow tracking URI '" + trackingUri + "': expected "
          + "http://host:port or https://host (a tracking server, not a local store)");
    }
    this.base = u;
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  public String trackingUri() {
    return base.toString();
  }

  // ---- experiments

  public Optional<Experiment> experimentByName(String name) {
    try {
      return Optional.of(get("experiments/get-by-name?experiment_name=" + q(name),
          MlflowApi.GetExperimentResponse.class).experiment());
    } catch (MlflowException e) {
      if (e.notFound()) {
        return Optional.empty();
      }
      throw e;
    }
  }

  public String createExperiment(String name) {
    return post("experiments/create", new MlflowApi.CreateExperiment(name),
        MlflowApi.CreateExperimentResponse.class).experimentId();
  }

  // ---- runs

  public Run createRun(String experimentId, String runName, long startMillis, List<Tag> tags) {
    return post("runs/create", new MlflowApi.CreateRun(experimentId, runName, startMillis, tags),
        MlflowApi.RunResponse.class).run();
  }

  public Run run(String runId) {
    return get("runs/get?run_id=" + q(runId), MlflowApi.RunResponse.class).run();
  }

  /** Every active run of the experiment that {@code filter} (MLflow's search syntax) selects. */
  public List<Run> searchRuns(String experimentId, String filter) {
    List<Run> out = new ArrayList<>();
    String token = null;
    do {
      MlflowApi.SearchRunsResponse r = post("runs/search", new MlflowApi.SearchRuns(
          List.of(experimentId), filter, PAGE, token), MlflowApi.SearchRunsResponse.class);
      out.addAll(r.runs());
      token = r.nextPageToken();
    } while (token != null && !token.isEmpty());
    return out;
  }

  /** Logs in as many calls as MLflow's per-call limits need. */
  public void logBatch(String runId, List<Metric> metrics, List<Param> params, List<Tag> tags) {
    int m = 0;
    int p = 0;
    int t = 0;
    while (m < metrics.size() || p < params.size() || t < tags.size()) {
      List<Metric> ms = metrics.subList(m, Math.min(metrics.size(), m + BATCH_METRICS));
      List<Param> ps = params.subList(p, Math.min(params.size(), p + BATCH_PARAMS));
      List<Tag> ts = tags.subList(t, Math.min(tags.size(), t + BATCH_TAGS));
      post("runs/log-batch", new MlflowApi.LogBatch(runId, ms, ps, ts), Object.class);
      m += ms.size();
      p += ps.size();
      t += ts.size();
    }
  }

  public void finishRun(String runId, long endMillis) {
    post("runs/update", new MlflowApi.UpdateRun(runId, "FINISHED", endMillis), Object.class);
  }

  /** Marks a run deleted (MLflow keeps it in the trash until garbage collection). */
  public void deleteRun(String runId) {
    post("runs/delete", new MlflowApi.RunId(runId), Object.class);
  }

  /** Every point of one metric of a run. */
  public List<Metric> metricHistory(String runId, String key) {
    List<Metric> out = new ArrayList<>();
    String token = null;
    do {
      MlflowApi.MetricHistoryResponse r = get("metrics/get-history?run_id=" + q(runId)
          + "&metric_key=" + q(key) + "&max_results=25000"
          + (token == null ? "" : "&page_token=" + q(token)),
          MlflowApi.MetricHistoryResponse.class);
      out.addAll(r.metrics());
      token = r.nextPageToken();
    } while (token != null && !token.isEmpty());
    return out;
  }

  /**
   * Uploads one file into a run's artifacts through the server's artifact proxy.
   *
   * @param artifactUri the run's {@code artifact_uri}
   * @param path relative, '/'-separated, e.g. {@code model/model.zip}
   */
  public void uploadArtifact(String artifactUri, String path, byte[] bytes) {
    URI target = artifactEndpoint(artifactUri, path);
    HttpRequest req = HttpRequest.newBuilder(target).timeout(timeout)
        .header("Content-Type", "application/octet-stream")
        .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build();
    send(req, "PUT " + target.getPath(), Object.class);
  }

  /** {@code mlflow-artifacts:/1/<run>/artifacts} + path -> the proxy's HTTP address. */
  URI artifactEndpoint(String artifactUri, String path) {
    URI a = URI.create(artifactUri);
    if (!PROXIED_SCHEME.equals(a.getScheme())) {
      throw new MlflowException("upload " + path, 0, null, "the run's artifact URI "
          + artifactUri + " is not served by the tracking server; start mlflow server with "
          + "proxied artifacts (the default; --artifacts-destination DIR) so that runs get "
          + PROXIED_SCHEME + ":/ URIs");
    }
    // As MLflow's own client: the tracking URI's scheme and path, the artifact URI's host if any.
    String host = a.getRawAuthority() == null ? base.getRawAuthority() : a.getRawAuthority();
    String prefix = base.getRawPath() == null ? "" : base.getRawPath();
    StringBuilder p = new StringBuilder();
    for (String seg : (a.getPath() + "/" + path).split("/")) {
      if (!seg.isEmpty()) {
        p.append(p.length() == 0 ? "" : "/").append(q(seg).replace("+", "%20"));
      }
    }
    return URI.create(base.getScheme() + "://" + host + prefix + ARTIFACTS_API + p);
  }

  // ---- model registry

  public Optional<RegisteredModel> registeredModel(String name) {
    try {
      return Optional.of(get("registered-models/get?name=" + q(name),
          MlflowApi.RegisteredModelResponse.class).registeredModel());
    } catch (MlflowException e) {
      if (e.notFound()) {
        return Optional.empty();
      }
      throw e;
    }
  }

  public RegisteredModel createRegisteredModel(String name, List<Tag> tags, String description) {
    return post("registered-models/create", new MlflowApi.CreateRegisteredModel(name, tags,
        description), MlflowApi.RegisteredModelResponse.class).registeredModel();
  }

  public void setRegisteredModelTag(String name, String key, String value) {
    post("registered-models/set-tag", new MlflowApi.SetRegisteredModelTag(name, key, value),
        Object.class);
  }

  /** Every version of the registered model {@code name}, in no particular order. */
  public List<ModelVersion> versions(String name) {
    List<ModelVersion> out = new ArrayList<>();
    String filter = "name = '" + MlflowNames.requireQuotable(name) + "'";
    String token = null;
    do {
      MlflowApi.SearchModelVersionsResponse r = get("model-versions/search?filter=" + q(filter)
          + "&max_results=" + PAGE + (token == null ? "" : "&page_token=" + q(token)),
          MlflowApi.SearchModelVersionsResponse.class);
      out.addAll(r.modelVersions());
      token = r.nextPageToken();
    } while (token != null && !token.isEmpty());
    return out;
  }

  public ModelVersion createModelVersion(String name, String source, String runId,
      List<Tag> tags, String description) {
    return post("model-versions/create", new MlflowApi.CreateModelVersion(name, source, runId,
        tags, description), MlflowApi.ModelVersionResponse.class).modelVersion();
  }

  public void setAlias(String name, String alias, String version) {
    post("registered-models/alias", new MlflowApi.SetAlias(name, alias, version), Object.class);
  }

  /** MLflow's server reads a DELETE's parameters from a JSON body, as a POST's. */
  public void deleteAlias(String name, String alias) {
    call("DELETE", "registered-models/alias", new MlflowApi.DeleteAlias(name, alias),
        Object.class);
  }

  // ---- transport

  private <T> T get(String call, Class<T> type) {
    HttpRequest req = HttpRequest.newBuilder(base.resolve(base.getRawPath() + API + call))
        .timeout(timeout).GET().build();
    return send(req, "GET " + call.replaceFirst("\\?.*", ""), type);
  }

  private <T> T post(String call, Object body, Class<T> type) {
    return call("POST", call, body, type);
  }

  private <T> T call(String method, String call, Object body, Class<T> type) {
    byte[] bytes;
    try {
      bytes = json.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write " + body + " as JSON", e);
    }
    HttpRequest req = HttpRequest.newBuilder(base.resolve(base.getRawPath() + API + call))
        .timeout(timeout).header("Content-Type", "application/json")
        .method(method, HttpRequest.BodyPublishers.ofByteArray(bytes)).build();
    return send(req, method + " " + call, type);
  }

  private <T> T send(HttpRequest req, String call, Class<T> type) {
    HttpResponse<byte[]> resp;
    try {
      resp = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new MlflowException(call + " at " + base, 0, null, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MlflowException(call + " at " + base, 0, null, "interrupted");
    }
    byte[] body = resp.body();
    if (resp.statusCode() / 100 != 2) {
      MlflowApi.Error err = null;
      try {
        err = json.readValue(body, MlflowApi.Error.class);
      } catch (IOException | RuntimeException notJson) {
        // a proxy's HTML page or an empty body: report the text itself
      }
      throw new MlflowException(call + " at " + base, resp.statusCode(),
          err == null ? null : err.errorCode(), err == null || err.message() == null
              ? new String(body, StandardCharsets.UTF_8).strip() : err.message());
    }
    if (type == Object.class || body.length == 0) {
      return null;
    }
    try {
      return json.readValue(body, type);
    } catch (IOException e) {
      throw new MlflowException(call + " at " + base, resp.statusCode(), null,
          "unreadable answer: " + e.getMessage());
    }
  }

  private static String q(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}

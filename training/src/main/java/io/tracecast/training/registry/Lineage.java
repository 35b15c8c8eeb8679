package io.tracecast.training.registry;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where a version came from beyond its dataset and spec, in typed parts (a part that does not
 * apply is null): the panels a graph model reads, the usage pattern a pooled model was trained
 * for, the jobs it pooled, the version a fine-tuned model started from, and the search that chose
 * a tuned spec. Written as {@code lineage} in {@code metadata.json}; metadata written before it
 * existed kept these under {@code params}, and {@link #fromParams} reads them from there.
 *
 * @param graph the graphs (and their nodes in tensor order) of a graph model
 * @param pattern the usage pattern of a pattern-pooled model
 * @param pooledOver the jobs a pooled gradient-boosted model was trained over
 * @param fineTuned what a fine-tuned model started from and which network was kept
 * @param search the hyperparameter search whose winner this is
 * @param observed the forecaster version whose forecasts an autoscaling policy observed for this
 *     job while it was trained
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Lineage(Graph graph, Pattern pattern, List<String> pooledOver, FineTuned fineTuned,
    Search search, Start observed) implements Serializable {
  /** A version of one job trained on its own data. */
  public static final Lineage NONE = new Lineage(null, null, null, null, null, null);

  /** The keys of {@code params} that held lineage before it had a field of its own. */
  static final Set<String> FORMER_PARAMS = Set.of("nodes", "graphs", "pattern", "patternCount",
      "centroid", "members", "dailyProfile", "patternsOf", "pooledOver", "startedFrom", "kept",
      "patternValidationMae", "tunedValidationMae", "tuning");
  private static final ObjectMapper JSON = new ObjectMapper()
      .disable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  public Lineage {
    pooledOver = pooledOver == null ? null : List.copyOf(pooledOver);
  }

  /**
   * The graphs of a graph model.
   *
   * @param nodes the node count the network was built for (its largest graph's)
   * @param graphs graph id -> its series, in tensor order
   */
  public record Graph(int nodes, Map<String, List<String>> graphs) implements Serializable {
    public Graph {
      graphs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(graphs));
    }
  }

  /**
   * A usage pattern (JSON-shaped: an hour no member has is null in the daily profile).
   *
   * @param pattern its index
   * @param patternCount the patterns of the model it belongs to
   * @param members the jobs pooled
   * @param patternsOf the dataset fingerprint under which the registry stores the patterns
   */
  public record Pattern(int pattern, int patternCount, List<Double> centroid,
      List<String> members, List<Double> dailyProfile, String patternsOf)
      implements Serializable {
    public Pattern {
      centroid = new ArrayList<>(centroid);
      members = List.copyOf(members);
      dailyProfile = new ArrayList<>(dailyProfile);
    }
  }

  /**
   * A fine-tuned model's start and outcome.
   *
   * @param startedFrom the pattern or global network it started from
   * @param kept {@code tuned}, or the start's scope ({@code pattern}, {@code global}): which network
   *     was better on validation
   * @param patternValidationMae the start's (pattern or global network's) validation MAE on the
   *     job (model space), null if none (the name predates global starts)
   * @param tunedValidationMae the tuned network's, null if none
   */
  public record FineTuned(Start startedFrom, String kept, Double patternValidationMae,
      Double tunedValidationMae) implements Serializable {}

  /** A registry version a model started from. */
  public record Start(String job, String model, int version) implements Serializable {}

  /**
   * The search a tuned spec won (JSON-shaped parts as the trial log writes them).
   *
   * @param search the sampler ({@code tpe} or {@code random})
   * @param winner the winning trial
   * @param defaultValidationMae the default spec's objective (trial 0)
   * @param trials every trial
   */
  public record Search(String search, long seed, Map<String, Object> pruner,
      Map<String, Object> space, Map<String, Object> winner, Double defaultValidationMae,
      int epochsRun, double epochsWithoutPruningEstimate, List<Map<String, Object>> trials)
      implements Serializable {}

  public Lineage withGraph(Graph g) {
    return new Lineage(g, pattern, pooledOver, fineTuned, search, observed);
  }

  public Lineage withPattern(Pattern p) {
    return new Lineage(graph, p, pooledOver, fineTuned, search, observed);
  }

  public Lineage withPooledOver(List<String> jobs) {
    return new Lineage(graph, pattern, jobs, fineTuned, search, observed);
  }

  public Lineage withFineTuned(FineTuned f) {
    return new Lineage(graph, pattern, pooledOver, f, search, observed);
  }

  public Lineage withObserved(Start forecaster) {
    return new Lineage(graph, pattern, pooledOver, fineTuned, search, forecaster);
  }

  public Lineage withSearch(Search s) {
    return new Lineage(graph, pattern, pooledOver, fineTuned, s, observed);
  }

  /**
   * The lineage that metadata written before {@code lineage} existed kept in {@code params}
   * ({@link #FORMER_PARAMS}).
   */
  static Lineage fromParams(Map<String, Object> params) {
    Lineage out = NONE;
    if (params.containsKey("nodes")) {
      out = out.withGraph(JSON.convertValue(Map.of("nodes", params.get("nodes"),
          "graphs", params.getOrDefault("graphs", Map.of())), Graph.class));
    }
    if (params.containsKey("pattern") && params.containsKey("patternsOf")) {
      Map<String, Object> p = new LinkedHashMap<>();
      for (String k : List.of("pattern", "patternCount", "centroid", "members", "dailyProfile",
          "patternsOf")) {
        p.put(k, params.get(k));
      }
      out = out.withPattern(JSON.convertValue(p, Pattern.class));
    }
    if (params.get("pooledOver") instanceof List<?> jobs) {
      out = out.withPooledOver(jobs.stream().map(String::valueOf).toList());
    }
    if (params.containsKey("startedFrom")) {
      Map<String, Object> f = new LinkedHashMap<>();
      for (String k : List.of("startedFrom", "kept", "patternValidationMae",
          "tunedValidationMae")) {
        f.put(k, params.get(k));
      }
      out = out.withFineTuned(JSON.convertValue(f, FineTuned.class));
    }
    if (params.containsKey("tuning")) {
      out = out.withSearch(JSON.convertValue(params.get("tuning"), Search.class));
    }
    return out;
  }
}

package io.tracecast.evaluation.scoring;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracecast.evaluation.config.EvaluationSettings;
import io.tracecast.training.registry.ModelFamily;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one home of an ensemble's registry form: its members and how their forecasts are combined
 * (the median, see {@link EnsembleForecasts}). A registry member (network or gradient-boosted
 * model) is named by model and version; a baseline member carries its {@link BaselineSet#params}
 * so the ensemble can be served without the evaluation settings it was chosen with.
 */
public final class EnsembleSpec {
  static final ObjectMapper JSON = new ObjectMapper();
  public static final String COMBINE = "median";

  private EnsembleSpec() {}

  /** One member: a registry version (version >= 1) or a baseline (version 0). */
  public record Member(String model, ModelFamily family, int version) implements Serializable {
    public Member {
      if (model == null || family == null) {
        throw new IllegalArgumentException("an ensemble member needs model and family");
      }
      boolean registry = family == ModelFamily.NETWORK || family == ModelFamily.GBT;
      if (registry != (version > 0)) {
        throw new IllegalArgumentException("member " + model + ": registry models have a "
            + "version >= 1, baselines 0; got " + version);
      }
    }

    /** {@link ScoreBook#modelKey} of this member in {@code job}. */
    public String key(String job) {
      return ScoreBook.modelKey(job, model, version);
    }
  }

  public static Map<String, Object> params(List<Member> members, EvaluationSettings s,
      long stepSeconds) {
    List<Map<String, Object>> list = new ArrayList<>();
    for (Member m : members) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("model", m.model());
      e.put("family", m.family().id());
      e.put("version", m.version());
      if (m.family() == ModelFamily.BASELINE) {
        e.put("params", BaselineSet.params(m.model(), s, stepSeconds));
      }
      list.add(e);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("combine", COMBINE);
    out.put("members", list);
    return out;
  }

  /** The members an ensemble version names, in order. */
  @SuppressWarnings("unchecked")
  public static List<Member> members(Map<String, Object> params) {
    Object list = params.get("members");
    if (!(list instanceof List<?> l) || l.isEmpty()) {
      throw new IllegalArgumentException("ensemble parameters lack members: " + params);
    }
    List<Member> out = new ArrayList<>();
    for (Object o : l) {
      Map<String, Object> e = (Map<String, Object>) o;
      out.add(new Member((String) e.get("model"), ModelFamily.fromId((String) e.get("family")),
          ((Number) e.get("version")).intValue()));
    }
    return out;
  }

  /** A baseline member's parameters (see {@link BaselineSet#fromParams}). */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> baselineParams(Map<String, Object> params, String model) {
    for (Object o : (List<Object>) params.get("members")) {
      Map<String, Object> e = (Map<String, Object>) o;
      if (model.equals(e.get("model")) && e.get("params") instanceof Map<?, ?> p) {
        return (Map<String, Object>) p;
      }
    }
    throw new IllegalArgumentException("ensemble has no baseline member " + model);
  }
}

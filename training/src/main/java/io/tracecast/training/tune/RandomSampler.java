package io.tracecast.training.tune;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Uniform in each dimension's internal coordinate (log-uniform for log types). */
public final class RandomSampler implements Sampler {
  @Override
  public Map<String, Object> propose(SearchSpace space, List<Trial> finished, Random rnd) {
    Map<String, Object> p = new LinkedHashMap<>();
    for (Dimension d : space.dimensions()) {
      p.put(d.name(), draw(d, rnd));
    }
    return p;
  }

  static Object draw(Dimension d, Random rnd) {
    if (d.isCategorical()) {
      return d.choices().get(rnd.nextInt(d.choices().size()));
    }
    double lo = d.internalLow();
    double hi = d.internalHigh();
    return d.valueAt(lo + rnd.nextDouble() * (hi - lo));
  }
}

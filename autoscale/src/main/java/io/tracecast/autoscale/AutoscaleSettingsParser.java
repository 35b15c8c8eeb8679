package io.tracecast.autoscale;

import com.typesafe.config.Config;
import io.tracecast.autoscale.agent.AgentSettings;
import io.tracecast.autoscale.apex.ApexSettings;
import io.tracecast.common.ConfigSection;

/** Reads {@code tracecast.autoscale}; every error names the key's full path. */
public final class AutoscaleSettingsParser {
  public static final String ROOT = "tracecast.autoscale";

  private AutoscaleSettingsParser() {}

  public static AgentSettings agent(Config c) {
    ConfigSection s = new ConfigSection(c, ROOT);
    try {
      return new AgentSettings(c.getIntList(s.path("agent.hidden")),
          c.getDouble(s.path("agent.actor-learning-rate")),
          c.getDouble(s.path("agent.critic-learning-rate")), c.getDouble(s.path("agent.gamma")),
          c.getDouble(s.path("agent.tau")), c.getDouble(s.path("agent.gradient-clip")),
          c.getLong(s.path("seed")));
    } catch (IllegalArgumentException e) {
      throw s.bad("agent", e.getMessage());
    }
  }

  public static ApexSettings apex(Config c) {
    ConfigSection s = new ConfigSection(c, ROOT);
    try {
      return new ApexSettings((int) s.atLeast("apex.actors", 1), (int) s.atLeast("apex.rounds", 1),
          (int) s.atLeast("apex.updates-per-round", 1),
          (int) s.atLeast("apex.segment-steps", 1), (int) s.atLeast("apex.batch", 1),
          (int) s.atLeast("apex.replay-capacity", 1), (int) s.atLeast("apex.warmup", 1),
          c.getDouble(s.path("apex.alpha")), c.getDouble(s.path("apex.beta")),
          c.getDouble(s.path("apex.priority-epsilon")),
          c.getDouble(s.path("apex.spread-weight")), c.getDouble(s.path("apex.noise.base")),
          c.getDouble(s.path("apex.noise.alpha")), (int) s.atLeast("apex.validate-every", 1),
          c.getLong(s.path("seed")));
    } catch (IllegalArgumentException e) {
      throw s.bad("apex", e.getMessage());
    }
  }

  /** The forecaster agents observe by default. */
  public static String forecaster(Config c) {
    return c.getString(ROOT + ".forecaster");
  }
}

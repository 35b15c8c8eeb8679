package io.tracecast.evaluation.autoscaling;

import io.tracecast.training.registry.ModelFamily;
import io.tracecast.training.registry.ModelRegistry;
import io.tracecast.training.registry.ModelVersion;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A trained autoscaling policy at an operating point: its actor network maps
 * {@link PolicyFeatures} to an action in [-1, 1], which asks for anchor x maxFactor^action
 * ({@link CapacityEnvironment#targetOf}), and the policy asks for that x its factor
 * ({@link AutoscalingSettings.OperatingRange}; 1 as trained). The one home of how a policy
 * version is stored: family {@code policy}, model {@value #MODEL}, the actor as {@value #FILE}
 * (DL4J ModelSerializer, no updater), and in its params under {@value #OPERATING_POINTS} the
 * factors at which, on validation, it matched each policy that does not learn (by its name).
 */
public final class LearnedPolicy implements ScalingPolicy {
  /** The registry model name of an autoscaling policy. */
  public static final String MODEL = "autoscaler";
  public static final String FILE = "policy.zip";
  public static final String OPERATING_POINTS = "operatingPoints";

  private final String name;
  private final MultiLayerNetwork actor;
  private final double factor;

  /**
   * @param name the policy's name in reports ({@value #MODEL} at factor 1, {@link #pointName}
   *     at an operating point)
   */
  public LearnedPolicy(String name, MultiLayerNetwork actor, double factor) {
    if (!(factor > 0) || !Double.isFinite(factor)) {
      throw new IllegalArgumentException(name + ": operating factor " + factor);
    }
    this.name = name;
    this.actor = actor;
    this.factor = factor;
  }

  /** The report name of the policy at the factor that matched {@code baseline}. */
  public static String pointName(String baseline) {
    return MODEL + "_at_" + baseline;
  }

  /** The policy a registry version holds, at factor 1. */
  public static LearnedPolicy load(ModelRegistry registry, ModelVersion version) {
    if (registry.metadata(version).family() != ModelFamily.POLICY) {
      throw new IllegalArgumentException(version.job() + "/" + version.model() + " v"
          + version.version() + " is not an autoscaling policy");
    }
    try {
      return new LearnedPolicy(MODEL, ModelSerializer.restoreMultiLayerNetwork(
          new ByteArrayInputStream(registry.readFile(version, FILE)), false), 1);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the policy of " + version.path(), e);
    }
  }

  /**
   * The version's operating points, baseline name to factor, in the order stored (empty for a
   * version published before they existed).
   */
  public static Map<String, Double> operatingPoints(ModelRegistry registry,
      ModelVersion version) {
    Object points = registry.metadata(version).params().get(OPERATING_POINTS);
    Map<String, Double> out = new LinkedHashMap<>();
    if (points instanceof Map<?, ?> m) {
      m.forEach((k, v) -> out.put(String.valueOf(k), ((Number) v).doubleValue()));
    }
    return out;
  }

  /** The same network at another factor, reported under {@code name}. */
  public LearnedPolicy at(String name, double factor) {
    return new LearnedPolicy(name, actor, factor);
  }

  public double factor() {
    return factor;
  }

  /** The bytes a policy version stores. */
  public static byte[] bytes(MultiLayerNetwork actor) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ModelSerializer.writeModel(actor, out, false);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  @Override
  public String name() {
    return name;
  }

  /** The action for one observation. */
  public double action(float[] features) {
    INDArray in = Nd4j.create(features, new long[] {1, features.length});
    return actor.output(in, false).getDouble(0);
  }

  @Override
  public double target(CapacityEnvironment env) {
    return target(env, action(PolicyFeatures.of(env)), factor);
  }

  /**
   * The capacity a learned policy's action asks for at an operating factor: the one home of the
   * rule, for this class and for training's batched runs of the actor.
   */
  public static double target(CapacityEnvironment env, double action, double factor) {
    return env.targetOf(action) * factor;
  }
}

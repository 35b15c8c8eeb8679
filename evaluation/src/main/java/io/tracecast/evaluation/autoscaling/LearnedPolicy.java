package io.tracecast.evaluation.autoscaling;

import io.tracecast.training.registry.ModelFamily;
import io.tracecast.training.registry.ModelRegistry;
import io.tracecast.training.registry.ModelVersion;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A trained autoscaling policy: its actor network maps {@link PolicyFeatures} to an action in
 * [-1, 1], which asks for committed x maxFactor^action ({@link CapacityEnvironment#targetOf}).
 * The one home of how a policy version is stored: family {@code policy}, model
 * {@value #MODEL}, the actor as {@value #FILE} (DL4J ModelSerializer, no updater).
 */
public final class LearnedPolicy implements ScalingPolicy {
  /** The registry model name of an autoscaling policy. */
  public static final String MODEL = "autoscaler";
  public static final String FILE = "policy.zip";

  private final String name;
  private final MultiLayerNetwork actor;

  public LearnedPolicy(String name, MultiLayerNetwork actor) {
    this.name = name;
    this.actor = actor;
  }

  /** The policy a registry version holds. */
  public static LearnedPolicy load(ModelRegistry registry, ModelVersion version) {
    if (registry.metadata(version).family() != ModelFamily.POLICY) {
      throw new IllegalArgumentException(version.job() + "/" + version.model() + " v"
          + version.version() + " is not an autoscaling policy");
    }
    try {
      return new LearnedPolicy(version.model() + " v" + version.version(),
          ModelSerializer.restoreMultiLayerNetwork(
              new ByteArrayInputStream(registry.readFile(version, FILE)), false));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the policy of " + version.path(), e);
    }
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
    return env.targetOf(action(PolicyFeatures.of(env)));
  }
}

package io.tracecast.autoscale.agent;

import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * A deterministic policy mu(s) in [-1, 1] (tanh) and a critic Q(s, a), each with a target copy
 * (Lillicrap et al. 2016, DDPG), as DL4J networks. DL4J has no "backpropagate this epsilon"
 * entry point for a whole network, so both policy-gradient steps are written as ordinary fits
 * whose loss gradient is the one wanted (checked against finite differences in the tests):
 * <ul>
 *   <li>dQ/da: the critic's input gradient of the MSE loss (Q - y)^2 with the label
 *       y = Q - 1/2 is exactly dQ/d(input);
 *   <li>the actor step: fitting mu(s) to the label mu(s) + g / 2 under MSE (one output) has the
 *       loss gradient -g at the output, so gradient descent moves the action along
 *       g = dQ/da: ascent on Q, through DL4J's own updater, clipping and minibatch averaging.
 * </ul>
 * Not thread-safe: one learner owns it; actors build their own from a {@link Snapshot}.
 */
public final class ActorCritic {
  private final int features;
  private final AgentSettings settings;
  private final MultiLayerNetwork actor;
  private final MultiLayerNetwork critic;
  private final MultiLayerNetwork targetActor;
  private final MultiLayerNetwork targetCritic;

  public ActorCritic(int features, AgentSettings settings) {
    this(features, settings, DataType.FLOAT);
  }

  /** In another precision: the gradient checks run in double. */
  ActorCritic(int features, AgentSettings settings, DataType dataType) {
    this.features = features;
    this.settings = settings;
    actor = new MultiLayerNetwork(actorConf(features, settings, dataType));
    actor.init();
    critic = new MultiLayerNetwork(criticConf(features, settings, dataType));
    critic.init();
    targetActor = actor.clone();
    targetCritic = critic.clone();
  }

  private ActorCritic(int features, AgentSettings settings, MultiLayerNetwork actor,
      MultiLayerNetwork critic, MultiLayerNetwork targetActor, MultiLayerNetwork targetCritic) {
    this.features = features;
    this.settings = settings;
    this.actor = actor;
    this.critic = critic;
    this.targetActor = targetActor;
    this.targetCritic = targetCritic;
  }

  /** Rebuilds the four networks from saved ones (a checkpoint): same objects, no copies. */
  public static ActorCritic of(int features, AgentSettings settings, MultiLayerNetwork actor,
      MultiLayerNetwork critic, MultiLayerNetwork targetActor, MultiLayerNetwork targetCritic) {
    return new ActorCritic(features, settings, actor, critic, targetActor, targetCritic);
  }

  static MultiLayerConfiguration actorConf(int features, AgentSettings s, DataType dataType) {
    return body(features, s, s.actorLearningRate(), s.seed(), dataType)
        .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(last(s)).nOut(1)
            .activation(Activation.TANH).weightInit(WeightInit.UNIFORM).build())
        .build();
  }

  static MultiLayerConfiguration criticConf(int features, AgentSettings s, DataType dataType) {
    return body(features + 1, s, s.criticLearningRate(), s.seed() + 1, dataType)
        .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(last(s)).nOut(1)
            .activation(Activation.IDENTITY).build())
        .build();
  }

  private static int last(AgentSettings s) {
    return s.hidden().get(s.hidden().size() - 1);
  }

  private static NeuralNetConfiguration.ListBuilder body(int inputs, AgentSettings s,
      double learningRate, long seed, DataType dataType) {
    NeuralNetConfiguration.ListBuilder b = new NeuralNetConfiguration.Builder().seed(seed)
        .dataType(dataType).updater(new Adam(learningRate)).weightInit(WeightInit.RELU)
        .gradientNormalization(GradientNormalization.ClipL2PerLayer)
        .gradientNormalizationThreshold(s.gradientClip()).list();
    int in = inputs;
    for (int h : s.hidden()) {
      b.layer(new DenseLayer.Builder().nIn(in).nOut(h).activation(Activation.RELU).build());
      in = h;
    }
    return b;
  }

  public int features() {
    return features;
  }

  public AgentSettings settings() {
    return settings;
  }

  public MultiLayerNetwork actor() {
    return actor;
  }

  public MultiLayerNetwork critic() {
    return critic;
  }

  public MultiLayerNetwork targetActor() {
    return targetActor;
  }

  public MultiLayerNetwork targetCritic() {
    return targetCritic;
  }

  /** mu(s) for each row of {@code obs} ([n, features]). */
  public INDArray act(INDArray obs) {
    return actor.output(obs, false);
  }

  /** Q(s, a) for rows of obs and a column of actions. */
  public INDArray q(INDArray obs, INDArray action) {
    return critic.output(Nd4j.hstack(obs, action), false);
  }

  /** dQ/da at (obs, action), one row per transition (the critic's input gradient, last column). */
  public INDArray actionGradient(INDArray obs, INDArray action) {
    INDArray in = Nd4j.hstack(obs, action);
    INDArray q = critic.output(in, false);
    INDArray grad = critic.calculateGradients(in, q.sub(0.5), null, null).getSecond();
    return grad.get(NDArrayIndex.all(), NDArrayIndex.interval(features, features + 1)).dup();
  }

  /**
   * One learner update on a batch: the critic towards r + gamma x Q'(s', mu'(s')) with
   * per-transition importance weights, the actor along dQ/da, then soft target updates.
   *
   * @return the batch's TD errors before the update (the new priorities' basis)
   */
  public double[] update(INDArray obs, INDArray action, INDArray reward, INDArray next,
      INDArray weight) {
    INDArray nextQ = targetCritic.output(Nd4j.hstack(next, targetActor.output(next, false)),
        false);
    INDArray target = reward.add(nextQ.mul(settings.gamma()));
    INDArray in = Nd4j.hstack(obs, action);
    INDArray td = target.sub(critic.output(in, false));
    // the label mask weights each transition's squared error: importance sampling
    critic.fit(in, target, null, weight);
    actorStep(obs);
    soften(targetActor, actor);
    soften(targetCritic, critic);
    return td.data().asDouble();
  }

  /** One policy-gradient step of the actor under the current critic. */
  void actorStep(INDArray obs) {
    INDArray mu = actor.output(obs, false);
    INDArray g = invertedAtBounds(actionGradient(obs, mu), mu);
    actor.fit(obs, mu.add(g.mul(0.5)));
  }

  /**
   * Hausknecht and Stone's inverting gradients (ICLR 2016) for a bounded action: a gradient
   * that pushes the action up is scaled by (1 - a) / 2, one that pushes it down by (a + 1) / 2,
   * so that the policy slows as it nears a bound instead of saturating its tanh, where no
   * gradient would bring it back.
   */
  static INDArray invertedAtBounds(INDArray g, INDArray mu) {
    INDArray out = g.dup();
    for (long i = 0; i < out.length(); i++) {
      double gi = out.getDouble(i);
      double a = mu.getDouble(i);
      out.putScalar(i, gi * (gi > 0 ? (1 - a) / 2 : (a + 1) / 2));
    }
    return out;
  }

  /** Initial priorities' TD errors with these networks (an actor's local copy). */
  public double[] tdErrors(INDArray obs, INDArray action, INDArray reward, INDArray next) {
    INDArray nextQ = critic.output(Nd4j.hstack(next, actor.output(next, false)), false);
    return reward.add(nextQ.mul(settings.gamma())).sub(q(obs, action)).data().asDouble();
  }

  private void soften(MultiLayerNetwork target, MultiLayerNetwork online) {
    INDArray t = target.params();
    t.muli(1 - settings.tau()).addi(online.params().mul(settings.tau()));
  }

  /** The online networks' parameters, for actors and checkpoints. */
  public Snapshot snapshot() {
    return new Snapshot(features, settings, actor.params().toFloatVector(),
        critic.params().toFloatVector());
  }

  /** What an actor needs to act and prioritise: the online networks' parameters. */
  public record Snapshot(int features, AgentSettings settings, float[] actorParams,
      float[] criticParams) implements java.io.Serializable {

    /** Networks with these parameters (targets are the online copies: actors never learn). */
    public ActorCritic networks() {
      MultiLayerNetwork a = new MultiLayerNetwork(actorConf(features, settings, DataType.FLOAT));
      a.init(Nd4j.create(actorParams, new long[] {1, actorParams.length}), false);
      MultiLayerNetwork c = new MultiLayerNetwork(criticConf(features, settings, DataType.FLOAT));
      c.init(Nd4j.create(criticParams, new long[] {1, criticParams.length}), false);
      return new ActorCritic(features, settings, a, c, a, c);
    }
  }
}

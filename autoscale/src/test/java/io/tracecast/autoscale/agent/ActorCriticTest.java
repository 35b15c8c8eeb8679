package io.tracecast.autoscale.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Gradient checks of the two fits that stand in for backpropagating dQ/da (in double, against
 * central finite differences): the critic's input gradient and the actor step's parameter
 * gradient, which must be minus the policy gradient of sum_i Q(s_i, mu(s_i)).
 */
class ActorCriticTest {
  private static final int F = 7;
  private static final int N = 6;
  private static final double H = 1e-6;

  private static ActorCritic nets() {
    return new ActorCritic(F, new AgentSettings(List.of(16, 12, 8), 1e-3, 1e-3, 0.9, 0.01, 1e9,
        7), DataType.DOUBLE);
  }

  private static INDArray obs() {
    Nd4j.getRandom().setSeed(3);
    return Nd4j.randn(DataType.DOUBLE, N, F);
  }

  @Test
  void actionGradientIsDqDaByFiniteDifferences() {
    ActorCritic ac = nets();
    INDArray s = obs();
    INDArray a = Nd4j.rand(DataType.DOUBLE, N, 1).muli(2).subi(1);
    INDArray g = ac.actionGradient(s, a);
    INDArray up = ac.q(s, a.add(H));
    INDArray down = ac.q(s, a.sub(H));
    for (int i = 0; i < N; i++) {
      double fd = (up.getDouble(i) - down.getDouble(i)) / (2 * H);
      assertEquals(fd, g.getDouble(i, 0), 1e-6 * Math.max(1, Math.abs(fd)), "row " + i);
    }
  }

  @Test
  void actorStepFollowsThePolicyGradientOfQ() {
    ActorCritic ac = nets();
    INDArray s = obs();
    MultiLayerNetwork actor = ac.actor();
    INDArray mu = actor.output(s, false);
    INDArray g = ac.actionGradient(s, mu);
    INDArray lossGradient = actor.calculateGradients(s, mu.add(g.mul(0.5)), null, null)
        .getFirst().gradient().dup();
    INDArray params = actor.params();
    double dot = 0;
    double normLoss = 0;
    double normFd = 0;
    double ratio = Double.NaN;
    for (long p = 0; p < params.length(); p += 37) {
      double keep = params.getDouble(p);
      params.putScalar(p, keep + H);
      double plus = ac.q(s, actor.output(s, false)).sumNumber().doubleValue();
      params.putScalar(p, keep - H);
      double minus = ac.q(s, actor.output(s, false)).sumNumber().doubleValue();
      params.putScalar(p, keep);
      double fd = (plus - minus) / (2 * H); // d sum_i Q / d theta_p
      double lg = lossGradient.getDouble(p);
      dot += -lg * fd;
      normLoss += lg * lg;
      normFd += fd * fd;
      if (Math.abs(fd) > 1e-4 && Double.isNaN(ratio)) {
        ratio = -lg / fd;
      }
    }
    double cosine = dot / Math.sqrt(normLoss * normFd);
    assertTrue(cosine > 0.999999, "cosine " + cosine);
    // DL4J's loss gradient is the sum over the batch, or its mean
    assertTrue(Math.abs(ratio - 1) < 1e-4 || Math.abs(ratio - 1.0 / N) < 1e-4, "ratio " + ratio);
  }

  @Test
  void gradientsTowardsABoundShrinkAsTheActionNearsIt() {
    INDArray g = Nd4j.createFromArray(new double[][] {{2}, {2}, {-2}, {-2}});
    INDArray mu = Nd4j.createFromArray(new double[][] {{0.9}, {-0.9}, {0.9}, {-0.9}});
    INDArray out = ActorCritic.invertedAtBounds(g, mu);
    assertEquals(2 * 0.05, out.getDouble(0), 1e-12); // up, near the top
    assertEquals(2 * 0.95, out.getDouble(1), 1e-12); // up, far from it
    assertEquals(-2 * 0.95, out.getDouble(2), 1e-12); // down, far from the bottom
    assertEquals(-2 * 0.05, out.getDouble(3), 1e-12); // down, near it
  }

  @Test
  void actorStepsClimbTheCriticsQ() {
    ActorCritic ac = nets();
    INDArray s = obs();
    double before = ac.q(s, ac.act(s)).sumNumber().doubleValue();
    for (int i = 0; i < 20; i++) {
      ac.actorStep(s);
    }
    double after = ac.q(s, ac.act(s)).sumNumber().doubleValue();
    assertTrue(after > before, "Q " + before + " -> " + after);
  }

  @Test
  void updatesFitTheCriticToItsTargets() {
    ActorCritic ac = new ActorCritic(F, new AgentSettings(List.of(32, 32, 16), 1e-3, 1e-2, 0.0,
        1, 10, 5), DataType.DOUBLE);
    INDArray s = obs();
    INDArray a = Nd4j.zeros(DataType.DOUBLE, N, 1);
    INDArray r = Nd4j.linspace(-1, 1, N, DataType.DOUBLE).reshape(N, 1);
    INDArray w = Nd4j.ones(DataType.DOUBLE, N, 1);
    double before = ac.q(s, a).sub(r).norm2Number().doubleValue();
    double[] td = null;
    for (int i = 0; i < 100; i++) {
      td = ac.update(s, a, r, s, w);
    }
    // gamma 0: the targets are the rewards, and the TD errors returned are r - Q before the fit
    double after = ac.q(s, a).sub(r).norm2Number().doubleValue();
    assertTrue(after < 0.2 * before, "|Q - r| " + before + " -> " + after);
    assertEquals(N, td.length);
  }
}

package io.tracecast.evaluation.autoscaling;

/**
 * A way to provision capacity, learned or not: at each decision step it names the capacity it
 * wants for step t + delay, from what the environment lets it see at t.
 */
public interface ScalingPolicy {
  /** The policy's name in reports. */
  String name();

  /** The capacity wanted for step t + delay (the environment floors it). */
  double target(CapacityEnvironment env);

  /** Runs the policy to the end of the environment's episode and returns the account. */
  default EpisodeAccount run(CapacityEnvironment env) {
    while (!env.done()) {
      env.decide(target(env));
    }
    return env.account();
  }
}

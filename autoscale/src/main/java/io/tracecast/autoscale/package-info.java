/**
 * Learned autoscaling policies, the {@code tracecast autoscale} stage: {@link
 * io.tracecast.autoscale.AutoscaleJob} trains a DDPG-style actor-critic ({@code agent}) with
 * Ape-X ({@code apex}: actors as Spark tasks, a prioritised replay ({@code replay}) and the
 * learner on the driver) in evaluation's trace-driven environment, and publishes the policy to
 * the registry as a version of family {@code policy} per job.
 */
package io.tracecast.autoscale;

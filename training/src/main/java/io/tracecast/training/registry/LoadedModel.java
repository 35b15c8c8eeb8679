package io.tracecast.training.registry;

import org.deeplearning4j.nn.graph.ComputationGraph;

/** A checksum-verified version with its metadata and restored network (updater state included). */
public record LoadedModel(ModelVersion version, ModelMetadata metadata, ComputationGraph network) {}

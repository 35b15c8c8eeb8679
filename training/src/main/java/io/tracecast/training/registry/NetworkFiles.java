package io.tracecast.training.registry;

import io.tracecast.kernels.attention.DotProductSelfAttention;
import io.tracecast.kernels.lstm.FusedLstm;
import io.tracecast.training.network.WarmupCosineSchedule;
import io.tracecast.training.network.layer.GraphGruLayer;
import io.tracecast.training.network.layer.GruLayer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.shade.jackson.databind.DeserializationContext;
import org.nd4j.shade.jackson.databind.JavaType;
import org.nd4j.shade.jackson.databind.deser.DeserializationProblemHandler;
import org.nd4j.shade.jackson.databind.jsontype.TypeIdResolver;

/**
 * The one home of reading and writing a DL4J network file (ModelSerializer's zip: configuration
 * JSON, parameters, updater state): registry versions, checkpoints and tune trials all go
 * through here.
 *
 * <p>DL4J stores every layer, vertex, loss and schedule configuration in the JSON by its Java
 * class name. Classes tracecast has moved since a file was written keep loading under their
 * former names: {@link #FORMER_NAMES} maps each former name to the class, and a Jackson problem
 * handler on DL4J's configuration mapper resolves a type id that names no class through it
 * (DL4J keeps its own legacy mappers for its renamed classes the same way). Files written now
 * carry the current names.
 */
public final class NetworkFiles {
  /**
   * Former class name -> the class now. Issue 22 moved the hand-written layers into the kernels
   * module and split training's {@code model} package (the SameDiff layers went to
   * {@code network.layer}, the schedule to {@code network}).
   */
  static final Map<String, Class<?>> FORMER_NAMES = Map.of(
      "io.tracecast.training.model.lstm.FusedLstm", FusedLstm.class,
      "io.tracecast.training.model.attention.DotProductSelfAttention",
      DotProductSelfAttention.class,
      "io.tracecast.training.model.GruLayer", GruLayer.class,
      "io.tracecast.training.model.GraphGruLayer", GraphGruLayer.class,
      "io.tracecast.training.model.WarmupCosineSchedule", WarmupCosineSchedule.class);

  static {
    NeuralNetConfiguration.mapper().addHandler(new FormerClassNames());
  }

  private NetworkFiles() {}

  /** A network from a ModelSerializer file; {@code updater}: restore the optimiser state too. */
  public static ComputationGraph read(InputStream in, boolean updater) throws IOException {
    return ModelSerializer.restoreComputationGraph(in, updater);
  }

  /** Writes {@code network} as a ModelSerializer file; {@code updater}: with optimiser state. */
  public static void write(ComputationGraph network, OutputStream out, boolean updater)
      throws IOException {
    ModelSerializer.writeModel(network, out, updater);
  }

  /** Resolves a configuration's unknown class name through {@link #FORMER_NAMES}. */
  private static final class FormerClassNames extends DeserializationProblemHandler {
    @Override
    public JavaType handleUnknownTypeId(DeserializationContext ctxt, JavaType baseType,
        String subTypeId, TypeIdResolver idResolver, String failureMsg) {
      Class<?> moved = FORMER_NAMES.get(subTypeId);
      if (moved == null || !baseType.getRawClass().isAssignableFrom(moved)) {
        return null; // Jackson's own error, naming the id
      }
      return ctxt.getTypeFactory().constructType(moved);
    }
  }
}

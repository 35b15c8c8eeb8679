package io.tracecast.etl.dataset;

import static io.tracecast.etl.dataset.WindowSchema.ANCHOR;
import static io.tracecast.etl.dataset.WindowSchema.END_TIME;
import static io.tracecast.etl.dataset.WindowSchema.INPUTS;
import static io.tracecast.etl.dataset.WindowSchema.JOB_ID;
import static io.tracecast.etl.dataset.WindowSchema.SCALE;
import static io.tracecast.etl.dataset.WindowSchema.TARGETS;
import java.io.Serializable;
import java.util.Objects;

/**
 * One job panel, the unit of the graph models: for one time origin, the window of every node
 * (series) of one graph (a job, or a sub-graph of a large job) aligned on the same steps.
 * Tensors are node-major and, per node, laid out exactly like that node's window row
 * ({@link DatasetLayout}); values are in model space (as {@code DatasetReader.encodedWindows}).
 * A masked node (no window at this origin: missing series, gap, or padding up to the graph's
 * node count) holds zeros everywhere and anchor 0, scale 1.
 *
 * @param jobId the job
 * @param graphId the graph within the job (equal to the job id when the job is one graph)
 * @param endMillis end time of the last input step (UTC epoch ms), shared by every node
 * @param nodes node count (the graph's node list in the manifest gives their order)
 * @param inputs nodes x lookback x features
 * @param targets nodes x horizon x targets
 * @param anchor nodes x targets ({@link WindowScaling#toOriginal})
 * @param scale nodes x targets
 * @param mask true where the node has a window at this origin
 */
public record Panel(String jobId, String graphId, long endMillis, int nodes, float[] inputs,
    float[] targets, float[] anchor, float[] scale, boolean[] mask) implements Serializable {

  public Panel {
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(graphId, "graphId");
    if (nodes < 1) {
      throw new IllegalArgumentException("a panel needs at least one node, got " + nodes);
    }
    if (mask.length != nodes || inputs.length % nodes != 0 || targets.length % nodes != 0
        || anchor.length % nodes != 0 || scale.length != anchor.length) {
      throw new IllegalArgumentException("panel " + graphId + "@" + endMillis
          + ": tensor sizes do not divide into " + nodes + " nodes");
    }
  }

  /**
   * A row of {@link DatasetReader#encodedPanels}: the one decoder of the panel columns
   * ({@link PanelAssembly#assemble}).
   */
  public static Panel from(org.apache.spark.sql.Row r) {
    byte[] mask = r.getAs(PanelAssembly.MASK);
    Object end = r.getAs(END_TIME);
    long endMillis = end instanceof java.time.Instant i ? i.toEpochMilli()
        : ((java.sql.Timestamp) end).getTime();
    return new Panel(r.getAs(JOB_ID), r.getAs(PanelAssembly.GRAPH_ID), endMillis, mask.length,
        Float32Codec.decode(r.getAs(INPUTS)), Float32Codec.decode(r.getAs(TARGETS)),
        Float32Codec.decode(r.getAs(ANCHOR)),
        Float32Codec.decode(r.getAs(SCALE)), PanelAssembly.mask(mask));
  }

  /** Values per node of {@link #inputs()} (lookback x features). */
  public int inputsPerNode() {
    return inputs.length / nodes;
  }

  /** Values per node of {@link #targets()} (horizon x targets). */
  public int targetsPerNode() {
    return targets.length / nodes;
  }

  public int presentNodes() {
    int n = 0;
    for (boolean m : mask) {
      n += m ? 1 : 0;
    }
    return n;
  }
}

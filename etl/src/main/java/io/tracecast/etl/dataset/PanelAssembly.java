package io.tracecast.etl.dataset;

import static io.tracecast.etl.dataset.WindowSchema.ANCHOR;
import static io.tracecast.etl.dataset.WindowSchema.END_TIME;
import static io.tracecast.etl.dataset.WindowSchema.INPUTS;
import static io.tracecast.etl.dataset.WindowSchema.JOB_ID;
import static io.tracecast.etl.dataset.WindowSchema.SCALE;
import static io.tracecast.etl.dataset.WindowSchema.SERIES_ID;
import static io.tracecast.etl.dataset.WindowSchema.TARGETS;
import static org.apache.spark.sql.functions.col;

import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The one home of job panels ({@link Panel}): which graph and node each series is (from the
 * manifest's {@link Manifest.Graph}s), and how the windows of one split become panels, one per
 * (graph, window end time) at which some node has a window. A node's slice of each panel tensor
 * is its window row's tensor byte for byte (node-major), so a panel holds exactly the per-series
 * windows, in whatever model space they come; a node without a window at that end time is masked
 * (zeros, anchor 0, scale 1). Windows of other splits never fill a node: a panel of split S holds
 * S's windows only, so every model is trained and scored on the same points.
 */
public final class PanelAssembly implements Serializable {
  /** Panel columns besides job_id, end_time and the window tensors ({@link DatasetLayout}). */
  public static final String GRAPH_ID = "graph_id";
  public static final String MASK = "mask";
  private static final String NODE = "node";
  private static final byte[] ONE = Float32Codec.encode(new float[] {1f});

  /** job_id + '\0' + series_id -> graph id and node index. */
  private final Map<String, Node> nodes = new HashMap<>();
  private final Map<String, Integer> nodeCounts = new HashMap<>();

  private record Node(String graphId, int index) implements Serializable {}

  private PanelAssembly(List<Manifest.Graph> graphs) {
    for (Manifest.Graph g : graphs) {
      nodeCounts.put(g.graphId(), g.nodeCount());
      for (int i = 0; i < g.nodeCount(); i++) {
        Node before = nodes.put(key(g.jobId(), g.nodes().get(i)), new Node(g.graphId(), i));
        if (before != null) {
          throw new IllegalArgumentException("series " + g.jobId() + "/" + g.nodes().get(i)
              + " is a node of " + before.graphId() + " and of " + g.graphId());
        }
      }
    }
  }

  /** The panels of a dataset; fails for one written before panels (no graphs). */
  public static PanelAssembly of(Manifest m) {
    if (m.graphs().isEmpty()) {
      throw new IllegalArgumentException("this dataset's manifest has no graphs: it was written"
          + " before job panels; run the ETL again to read panels");
    }
    return new PanelAssembly(m.graphs());
  }

  /** Adds graph_id (string) to rows with job_id and series_id. */
  private Dataset<Row> withGraph(Dataset<Row> windows) {
    Map<String, Node> n = nodes;
    return windows.withColumn(GRAPH_ID, functions.udf(
        (UDF2<String, String, String>) (job, series) -> node(n, job, series).graphId(),
        DataTypes.StringType).apply(col(JOB_ID), col(SERIES_ID)));
  }

  /**
   * Panels of encoded window rows ({@link DatasetReader#encodedWindows}): job_id, graph_id,
   * end_time, then float32 binary inputs, targets, anchor, scale (node-major: node i's values
   * are the i-th equal slice) and mask (one byte per node, 1 where the node has a window).
   * Unordered; decode a row with {@link Panel#from}.
   */
  public Dataset<Row> assemble(Dataset<Row> encodedWindows) {
    Map<String, Node> n = nodes;
    Dataset<Row> withNode = withGraph(encodedWindows).withColumn(NODE, functions.udf(
        (UDF2<String, String, Integer>) (job, series) -> node(n, job, series).index(),
        DataTypes.IntegerType).apply(col(JOB_ID), col(SERIES_ID)));
    Dataset<Row> grouped = withNode.groupBy(col(JOB_ID), col(GRAPH_ID), col(END_TIME))
        .agg(functions.collect_list(functions.struct(col(NODE), col(INPUTS), col(TARGETS),
            col(ANCHOR), col(SCALE))).as("windows"));
    StructType schema = new StructType()
        .add(JOB_ID, DataTypes.StringType, false)
        .add(GRAPH_ID, DataTypes.StringType, false)
        .add(END_TIME, DataTypes.TimestampType, false)
        .add(INPUTS, DataTypes.BinaryType, false)
        .add(TARGETS, DataTypes.BinaryType, false)
        .add(ANCHOR, DataTypes.BinaryType, false)
        .add(SCALE, DataTypes.BinaryType, false)
        .add(MASK, DataTypes.BinaryType, false);
    Map<String, Integer> counts = nodeCounts;
    return grouped.map((MapFunction<Row, Row>) r -> panel(r, counts.get(r.getString(1))),
        Encoders.row(schema));
  }

  private static Row panel(Row r, int nodeCount) {
    List<Row> windows = r.getList(3);
    Row first = windows.get(0);
    int[] bytes = new int[4];
    for (int t = 0; t < 4; t++) {
      bytes[t] = ((byte[]) first.get(t + 1)).length;
    }
    byte[][] tensors = new byte[4][];
    for (int t = 0; t < 4; t++) {
      tensors[t] = new byte[bytes[t] * nodeCount];
    }
    // a masked node's scale is 1, so anchor + scale * output stays defined
    for (int i = 0; i < nodeCount * bytes[3] / ONE.length; i++) {
      System.arraycopy(ONE, 0, tensors[3], i * ONE.length, ONE.length);
    }
    byte[] mask = new byte[nodeCount];
    for (Row w : windows) {
      int node = w.getInt(0);
      if (mask[node] != 0) {
        throw new IllegalStateException("graph " + r.getString(1) + " at " + r.get(2)
            + ": node " + node + " has two windows");
      }
      mask[node] = 1;
      for (int t = 0; t < 4; t++) {
        byte[] slice = (byte[]) w.get(t + 1);
        if (slice.length != bytes[t]) {
          throw new IllegalStateException("graph " + r.getString(1) + " at " + r.get(2)
              + ": node " + node + " has " + slice.length + " bytes of tensor " + t + ", node "
              + first.getInt(0) + " has " + bytes[t]);
        }
        System.arraycopy(slice, 0, tensors[t], node * bytes[t], bytes[t]);
      }
    }
    return RowFactory.create(r.getString(0), r.getString(1), r.get(2), tensors[0], tensors[1],
        tensors[2], tensors[3], mask);
  }

  private static Node node(Map<String, Node> nodes, String job, String series) {
    Node n = nodes.get(key(job, series));
    if (n == null) {
      throw new IllegalArgumentException("series " + job + "/" + series
          + " is a node of no graph in the manifest");
    }
    return n;
  }

  private static String key(String job, String series) {
    return job + '\0' + series;
  }

  /** The mask column's bytes as booleans. */
  static boolean[] mask(byte[] bytes) {
    boolean[] out = new boolean[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      out[i] = bytes[i] != 0;
    }
    return out;
  }
}

import io.tracecast.training.model.GraphNetworks;
import io.tracecast.training.model.ModelKind;
import io.tracecast.training.model.ModelSpec;
import io.tracecast.training.model.NetworkBuilder;
import io.tracecast.training.model.NetworkShape;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Part of generate.sh (b90b1eb's API): every kind's freshly initialised network (default spec,
 * seed 42, lookback 12, 9 features, cpu at feature 0, horizon 1; plain and residual median;
 * graph_gru for 3 nodes), printed as kind, variant, parameter count, sum, sum of squares and the
 * first three parameters, one CSV line each: initial-params.csv, which NetworkInitialisationTest
 * compares the rebuilt kinds with (same seeds must give the same networks).
 */
public class InitialParams {
  public static void main(String[] args) {
    NetworkShape shape = new NetworkShape(12, 9, 1, 1, List.of(0), true);
    System.out.println("kind,variant,params,sum,sum_of_squares,p0,p1,p2");
    for (ModelKind kind : ModelKind.values()) {
      for (String variant : List.of("default", "residual_median")) {
        ModelSpec spec = ModelSpec.defaults(kind);
        if (variant.equals("residual_median")) {
          spec = spec.withResidual(true).withQuantiles(List.of(0.5));
        }
        Nd4j.getRandom().setSeed(spec.training().seed());
        ComputationGraph net = kind.isGraph() ? GraphNetworks.build(spec, shape, 3)
            : NetworkBuilder.build(spec, shape);
        INDArray p = net.params().castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE);
        System.out.println(String.format(Locale.ROOT, "%s,%s,%d,%.17g,%.17g,%.9g,%.9g,%.9g",
            kind.id(), variant, p.length(), p.sumNumber().doubleValue(),
            p.mul(p).sumNumber().doubleValue(), p.getDouble(0), p.getDouble(1), p.getDouble(2)));
      }
    }
  }
}

package io.tracecast.training.kind;

import io.tracecast.training.kind.network.BiLstmAttention;
import io.tracecast.training.kind.network.Cnn;
import io.tracecast.training.kind.network.CnnLstm;
import io.tracecast.training.kind.network.GraphGru;
import io.tracecast.training.kind.network.Gru;
import io.tracecast.training.kind.network.Linear;
import io.tracecast.training.kind.network.Lstm;
import io.tracecast.training.kind.network.Mlp;
import io.tracecast.training.kind.network.StackedLstm;
import io.tracecast.training.kind.tree.BoostedTrees;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The architectures tracecast trains, the one list of them (as {@code TraceFormats} lists the
 * trace formats): adding a kind is its class, its test, its configuration block and a line
 * here. Ids of kinds are parsed here too: an architecture's id plus a {@link Scope} suffix.
 */
public final class ModelKinds {
  public static final Lstm LSTM = new Lstm();
  public static final StackedLstm STACKED_LSTM = new StackedLstm();
  public static final BiLstmAttention BILSTM_ATTENTION = new BiLstmAttention();
  public static final CnnLstm CNN_LSTM = new CnnLstm();
  public static final Gru GRU = new Gru();
  public static final Cnn CNN = new Cnn();
  public static final Mlp MLP = new Mlp();
  public static final GraphGru GRAPH_GRU = new GraphGru();
  public static final Linear LINEAR = new Linear();
  public static final BoostedTrees GBT = new BoostedTrees();

  /** Every architecture, in the order help texts and errors list them. */
  public static final List<Architecture> ALL = List.of(LSTM, STACKED_LSTM, BILSTM_ATTENTION,
      CNN_LSTM, GRU, CNN, MLP, GRAPH_GRU, LINEAR, GBT);

  private ModelKinds() {}

  /** The architecture {@code id} names (case-insensitive). */
  public static Architecture architecture(String id) {
    String s = id.trim().toLowerCase(Locale.ROOT);
    for (Architecture a : ALL) {
      if (a.id().equals(s)) {
        return a;
      }
    }
    throw new IllegalArgumentException("unknown architecture '" + id + "', expected one of "
        + ALL.stream().map(Architecture::id).toList());
  }

  /** The network architecture {@code id} names. */
  public static NetworkArchitecture network(String id) {
    if (architecture(id) instanceof NetworkArchitecture n) {
      return n;
    }
    throw new IllegalArgumentException("'" + id + "' is not a network kind, expected one of "
        + networks().stream().map(Architecture::id).toList());
  }

  /** Every network architecture, in list order. */
  public static List<NetworkArchitecture> networks() {
    List<NetworkArchitecture> out = new ArrayList<>();
    ALL.forEach(a -> {
      if (a instanceof NetworkArchitecture n) {
        out.add(n);
      }
    });
    return out;
  }

  /**
   * The kind {@code id} names (case-insensitive): an architecture's id, optionally with the
   * suffix of a scope it is trained in ({@code mlp_pattern}, {@code gbt_global}).
   *
   * @throws IllegalArgumentException naming every valid id when it names none
   */
  public static ModelKind parse(String id) {
    String s = id.trim().toLowerCase(Locale.ROOT);
    for (Architecture a : ALL) {
      for (Scope scope : Scope.values()) {
        if (s.equals(a.id() + scope.suffix())) {
          if (!a.scopes().contains(scope)) {
            throw new IllegalArgumentException("'" + id + "': " + a.id() + " is not trained "
                + "in scope " + scope.label() + " (it is in " + a.scopes().stream()
                    .map(Scope::label).sorted().toList() + ")");
          }
          return new ModelKind(a, scope);
        }
      }
    }
    throw new IllegalArgumentException("unknown model kind '" + id + "', expected one of "
        + ids());
  }

  /** Every kind id {@code train} accepts, architecture by architecture. */
  public static List<String> ids() {
    List<String> out = new ArrayList<>();
    for (Architecture a : ALL) {
      for (Scope scope : Scope.values()) {
        if (scope.trainable() && a.scopes().contains(scope)) {
          out.add(a.id() + scope.suffix());
        }
      }
    }
    return out;
  }
}

package io.tracecast.training.tune;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code trials.csv} of one search: one row per trial with its number, status, objective
 * (validation MAE, original units), best epoch, epochs run, seconds, every parameter, then the
 * validation MAE (scaled units) of each epoch, {@code val_mae_e1 ...}, empty after it stopped.
 */
public final class TrialsCsv {
  private TrialsCsv() {}

  public static String of(List<Trial> trials) {
    Set<String> params = new LinkedHashSet<>();
    trials.forEach(t -> params.addAll(t.params().keySet()));
    int epochs = trials.stream().mapToInt(t -> t.epochs().size()).max().orElse(0);
    StringBuilder b = new StringBuilder("trial,status,validation_mae,best_epoch,epochs,seconds");
    params.forEach(p -> b.append(',').append(p));
    for (int e = 1; e <= epochs; e++) {
      b.append(",val_mae_e").append(e);
    }
    b.append('\n');
    for (Trial t : trials) {
      b.append(t.number()).append(',').append(t.status().name().toLowerCase(Locale.ROOT))
          .append(',').append(number(t.objective())).append(',').append(t.bestEpoch())
          .append(',').append(t.epochs().size()).append(',')
          .append(String.format(Locale.ROOT, "%.2f", t.seconds()));
      for (String p : params) {
        b.append(',').append(cell(t.params().get(p)));
      }
      double[] curve = t.curve();
      for (int e = 0; e < epochs; e++) {
        b.append(',').append(e < curve.length ? number(curve[e]) : "");
      }
      b.append('\n');
    }
    return b.toString();
  }

  private static String number(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%.6g", v) : "";
  }

  private static String cell(Object v) {
    String s = v == null ? "" : String.valueOf(v);
    return s.contains(",") || s.contains("\"")
        ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
  }
}

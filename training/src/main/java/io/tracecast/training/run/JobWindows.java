package io.tracecast.training.run;

import java.util.ArrayList;
import java.util.List;

/**
 * One unit's windows in memory (a job's, or a usage pattern's members'), split into train and
 * validation and in a fixed order (job, series, segment, end time), as flat time-major arrays
 * straight from the dataset. The one home of that split and order, so every task that trains on
 * the same windows sees the same batches.
 */
public record JobWindows(List<float[]> trainInputs, List<float[]> trainTargets,
    List<float[]> validationInputs, List<float[]> validationTargets)
    implements java.io.Serializable {

  /** Sorts {@code rows} (in place) and splits them by their validation flag. */
  public static JobWindows of(List<WindowRow> rows) {
    rows.sort(WindowRow.ORDER);
    List<float[]> trainIn = new ArrayList<>();
    List<float[]> trainOut = new ArrayList<>();
    List<float[]> valIn = new ArrayList<>();
    List<float[]> valOut = new ArrayList<>();
    for (WindowRow w : rows) {
      (w.validation() ? valIn : trainIn).add(w.inputs());
      (w.validation() ? valOut : trainOut).add(w.targets());
    }
    return new JobWindows(trainIn, trainOut, valIn, valOut);
  }
}

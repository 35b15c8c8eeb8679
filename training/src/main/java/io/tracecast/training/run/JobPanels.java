package io.tracecast.training.run;

import io.tracecast.etl.dataset.Panel;
import java.util.ArrayList;
import java.util.List;

/** One job's panels in memory, split into train and validation, in {@link PanelRow#ORDER}. */
public record JobPanels(List<Panel> train, List<Panel> validation)
    implements java.io.Serializable {

  /** Sorts {@code rows} (in place) and splits them by their validation flag. */
  public static JobPanels of(List<PanelRow> rows) {
    rows.sort(PanelRow.ORDER);
    List<Panel> train = new ArrayList<>();
    List<Panel> validation = new ArrayList<>();
    for (PanelRow r : rows) {
      (r.validation() ? validation : train).add(r.panel());
    }
    return new JobPanels(train, validation);
  }
}

package io.tracecast.training.run;

import io.tracecast.etl.dataset.Panel;
import java.io.Serializable;
import java.util.Comparator;
import org.apache.spark.sql.Row;

/**
 * A dataset panel on its way to a packed training task, with its split, so that a task puts its
 * job's panels back in a fixed order (graph, end time) after Spark's shuffle.
 *
 * @param validation false: train split, true: validation split
 */
public record PanelRow(boolean validation, Panel panel) implements Serializable {
  public static final Comparator<PanelRow> ORDER = Comparator.comparing(PanelRow::validation)
      .thenComparing(r -> r.panel().graphId())
      .thenComparingLong(r -> r.panel().endMillis());

  /** From {@code DatasetReader.encodedPanels} columns plus {@value WindowRow#VALIDATION}. */
  public static PanelRow from(Row r) {
    return new PanelRow(r.getBoolean(r.fieldIndex(WindowRow.VALIDATION)), Panel.from(r));
  }
}

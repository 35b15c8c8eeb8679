package io.tracecast.etl.source;

import java.io.Serializable;
import java.util.Map;

/**
 * What a parser needs besides the line: where relative trace time starts, and side tables.
 *
 * @param timeOriginMicros UTC micros that relative trace time 0 maps to (0 for absolute traces)
 * @param vmTable Azure vmtable rows by VM id, empty when none was given
 * @param machineGrouping the job of each machine where the trace has no jobs (Alibaba)
 */
public record SourceContext(long timeOriginMicros, Map<String, VmInfo> vmTable,
    MachineGrouping machineGrouping) implements Serializable {
  public SourceContext {
    vmTable = Map.copyOf(vmTable);
    machineGrouping = machineGrouping == null ? MachineGrouping.byMachine() : machineGrouping;
  }

  public SourceContext(long timeOriginMicros, Map<String, VmInfo> vmTable) {
    this(timeOriginMicros, vmTable, null);
  }

  public static SourceContext of(long timeOriginMicros) {
    return new SourceContext(timeOriginMicros, Map.of());
  }

  /** The vmtable attributes tracecast keeps for a VM. */
  public record VmInfo(String deploymentId, String category, String coreBucket, String memoryBucket)
      implements Serializable {}
}

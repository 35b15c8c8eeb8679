package io.tracecast.etl.source;

import java.util.HashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/**
 * Loads the Azure {@code vmtable} (no header: vm id, subscription id, deployment id, created,
 * deleted, max cpu, avg cpu, p95 max cpu, vm category, core bucket, memory bucket) into a map
 * that is shipped to the executors with the parser. The 2017 table holds about 2 million VMs,
 * a few hundred MB on the driver; for larger tables a join would be the next step.
 */
public final class VmTable {
  private static final int FIELDS = 11;

  private VmTable() {}

  public static Map<String, SourceContext.VmInfo> load(String file, Configuration conf) {
    Map<String, SourceContext.VmInfo> table = new HashMap<>();
    SideTableFile.read("azure vmtable", file, conf, (lineNumber, fields, line) -> {
      if (fields.size() != FIELDS) {
        throw new IllegalArgumentException("azure vmtable: " + file + " line " + lineNumber
            + ": " + fields.size() + " fields, expected " + FIELDS);
      }
      table.put(fields.field(0), new SourceContext.VmInfo(
          fields.field(2), fields.field(8), fields.field(9), fields.field(10)));
    });
    if (table.isEmpty()) {
      throw new IllegalArgumentException("azure vmtable: " + file + " holds no rows");
    }
    return table;
  }
}

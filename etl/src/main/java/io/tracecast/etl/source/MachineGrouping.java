package io.tracecast.etl.source;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/**
 * The job of a series where the trace has machines but no jobs (Alibaba {@code machine_usage}),
 * set by {@code tracecast.etl.sources.<source>.grouping}: {@value #MACHINE} (each machine its own
 * job), {@value #CLUSTER} (every machine of the input in one job, {@value #CLUSTER_JOB}), or the
 * path of a CSV file of {@code machine_id,group} lines (optional header {@code machine_id,group};
 * plain or .gz; any Hadoop filesystem). A machine the file does not list keeps its own id as job,
 * and each of its rows is counted under the note {@value #MISSING_NOTE}.
 */
public final class MachineGrouping implements Serializable {
  public static final String MACHINE = "machine";
  public static final String CLUSTER = "cluster";
  public static final String CLUSTER_JOB = "cluster";
  public static final String MISSING_NOTE = "machineRowsMissingFromGrouping";
  public static final String EXPECTED =
      MACHINE + ", " + CLUSTER + ", or the path of a CSV file of machine_id,group lines";

  private final String setting;
  /** machine -> group; null unless grouped by a file. */
  private final Map<String, String> groups;

  private MachineGrouping(String setting, Map<String, String> groups) {
    this.setting = setting;
    this.groups = groups;
  }

  public static MachineGrouping byMachine() {
    return new MachineGrouping(MACHINE, null);
  }

  /** A mapping already in memory, e.g. {@link #load}'s; {@code label} names it in errors. */
  public static MachineGrouping of(String label, Map<String, String> groups) {
    if (groups.isEmpty()) {
      throw new IllegalArgumentException("alibaba grouping: " + label + " maps no machine");
    }
    return new MachineGrouping(label, Map.copyOf(groups));
  }

  /** The grouping a setting names; loads the file of a path. Null means {@value #MACHINE}. */
  public static MachineGrouping of(String setting, Configuration conf) {
    if (setting == null || setting.equals(MACHINE)) {
      return byMachine();
    }
    if (setting.equals(CLUSTER)) {
      return new MachineGrouping(CLUSTER, null);
    }
    return of(setting, load(setting, conf));
  }

  /** The setting this grouping came from: a label or the mapping file's path. */
  public String setting() {
    return setting;
  }

  /** The job of {@code machine}'s rows; counts rows of machines a mapping file lacks. */
  public String jobOf(String machine, RowSink sink) {
    if (groups == null) {
      return setting.equals(CLUSTER) ? CLUSTER_JOB : machine;
    }
    String group = groups.get(machine);
    if (group == null) {
      sink.note(MISSING_NOTE);
      return machine;
    }
    return group;
  }

  static Map<String, String> load(String file, Configuration conf) {
    Map<String, String> groups = new HashMap<>();
    SideTableFile.read("alibaba grouping", file, conf, (lineNumber, fields, line) -> {
      if (fields.size() != 2 || fields.field(0).isEmpty() || fields.field(1).isEmpty()) {
        throw new IllegalArgumentException("alibaba grouping: " + file + " line " + lineNumber
            + ": expected machine_id,group, got '" + line + "'");
      }
      if (lineNumber == 1 && fields.field(0).equals("machine_id")) {
        return;
      }
      String before = groups.put(fields.field(0), fields.field(1));
      if (before != null && !before.equals(fields.field(1))) {
        throw new IllegalArgumentException("alibaba grouping: " + file + " line " + lineNumber
            + ": machine " + fields.field(0) + " is in group " + before + " already");
      }
    });
    return groups;
  }
}

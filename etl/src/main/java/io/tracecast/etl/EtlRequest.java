package io.tracecast.etl;

import io.tracecast.etl.config.EtlSettings;
import io.tracecast.etl.dataset.BacktestFold;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One ETL run: which source format, which inputs, where to, with which settings.
 *
 * @param inputs files, directories or globs, local or any Hadoop filesystem URI
 * @param vmTable Azure only: the vmtable file that maps VMs to deployments
 * @param backtestFold write only this backtest fold's dataset ({@link BacktestFold}); empty for
 *     the normal dataset
 */
public record EtlRequest(String source, List<String> inputs, String output, boolean overwrite,
    Optional<String> vmTable, EtlSettings settings, Optional<BacktestFold> backtestFold) {

  /** The normal dataset, no backtest fold. */
  public EtlRequest(String source, List<String> inputs, String output, boolean overwrite,
      Optional<String> vmTable, EtlSettings settings) {
    this(source, inputs, output, overwrite, vmTable, settings, Optional.empty());
  }

  public EtlRequest {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(output, "output");
    Objects.requireNonNull(settings, "settings");
    inputs = List.copyOf(inputs);
    if (inputs.isEmpty()) {
      throw new IllegalArgumentException("at least one input is required");
    }
    vmTable = vmTable == null ? Optional.empty() : vmTable;
    backtestFold = backtestFold == null ? Optional.empty() : backtestFold;
  }
}

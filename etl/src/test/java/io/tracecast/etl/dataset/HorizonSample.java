package io.tracecast.etl.dataset;

import io.tracecast.etl.EtlJob;
import io.tracecast.etl.EtlRequest;
import io.tracecast.etl.SparkTestSession;
import io.tracecast.etl.config.EtlSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Row;

/**
 * A real window-normalised multi-step dataset for the tests of recursive forecasting (etl's
 * rollout, training's recursive trees): Bitbrains VM 1 of the bundled sample, cpu the target,
 * memory and network other metrics, the daily and weekly calendar, cpu one day earlier.
 *
 * @param manifest the dataset's manifest
 * @param reader its reader
 */
public record HorizonSample(Manifest manifest, DatasetReader reader) {

  /** The ETL of VM 1 with {@code lookback} and {@code horizon} into {@code dir}. */
  public static HorizonSample bitbrainsVm1(Path dir, int lookback, int horizon) {
    String out = dir.resolve("bitbrains-h" + horizon).toString();
    String input = Path.of(System.getProperty("tracecast.root", ".."), "data", "samples",
        "bitbrains", "2013-7", "1.csv.gz").toString();
    Manifest m = EtlJob.run(SparkTestSession.get(), new EtlRequest("bitbrains", List.of(input),
        out, false, Optional.empty(), EtlSettings.builder().lookback(lookback).horizon(horizon)
            .build()));
    return new HorizonSample(m, DatasetReader.open(SparkTestSession.get(), out));
  }

  /** A split's model-space windows in time order (one series). */
  public List<Row> windows(Split split) {
    return reader.encodedWindows(SparkTestSession.get(), split)
        .orderBy(WindowSchema.SERIES_ID, WindowSchema.END_TIME).collectAsList();
  }
}

package io.tracecast.training.pattern;

import static io.tracecast.etl.dataset.WindowSchema.JOB_ID;
import static io.tracecast.etl.dataset.WindowSchema.SERIES_ID;
import static io.tracecast.etl.dataset.WindowSchema.SPLIT;
import static io.tracecast.etl.dataset.WindowSchema.TS;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.not;

import io.tracecast.etl.dataset.Split;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.api.java.function.MapGroupsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import scala.Tuple2;

/**
 * Signs every series of a series table in Spark: one group per (job_id, series_id), on the
 * train split's points of the target only, so that validation and test never shape a pattern.
 */
public final class SignatureTable {
  private SignatureTable() {}

  public static Dataset<SignatureRow> of(SeriesSource source) {
    String target = source.target();
    String dataset = source.dataset();
    long stepSeconds = source.stepSeconds();
    Dataset<Row> train = source.series()
        .where(col(SPLIT).equalTo(Split.TRAIN.label()).and(col(target).isNotNull())
            .and(not(isnan(col(target)))))
        .select(col(JOB_ID), col(SERIES_ID), col(TS), col(target).cast("double"));
    return train
        .groupByKey((MapFunction<Row, Tuple2<String, String>>) r ->
                new Tuple2<>(r.getString(0), r.getString(1)),
            Encoders.tuple(Encoders.STRING(), Encoders.STRING()))
        .mapGroups((MapGroupsFunction<Tuple2<String, String>, Row, SignatureRow>) (key, rows) ->
                sign(new SeriesKey(dataset, key._1(), key._2()), rows, stepSeconds),
            Encoders.bean(SignatureRow.class));
  }

  private static SignatureRow sign(SeriesKey key, Iterator<Row> rows, long stepSeconds) {
    List<Row> points = new ArrayList<>();
    rows.forEachRemaining(points::add);
    // Groups arrive in no particular order; the signature needs time order.
    points.sort(Comparator.comparingLong(r -> r.getTimestamp(2).getTime()));
    double[] values = new double[points.size()];
    long[] times = new long[points.size()];
    for (int i = 0; i < values.length; i++) {
      times[i] = points.get(i).getTimestamp(2).getTime();
      values[i] = points.get(i).getDouble(3);
    }
    return SignatureRow.of(key, PatternSignature.ofValues(values, times, stepSeconds));
  }
}

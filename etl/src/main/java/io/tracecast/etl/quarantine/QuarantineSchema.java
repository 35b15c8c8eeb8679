package io.tracecast.etl.quarantine;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Schema of {@code <dataset>/quarantine}: one row per rejected input line. */
public final class QuarantineSchema {
  public static final StructType SCHEMA = DataTypes.createStructType(new org.apache.spark.sql.types.StructField[] {
      DataTypes.createStructField("file", DataTypes.StringType, false),
      DataTypes.createStructField("line", DataTypes.LongType, false),
      DataTypes.createStructField("raw", DataTypes.StringType, false),
      DataTypes.createStructField("reason", DataTypes.StringType, false),
      DataTypes.createStructField("detail", DataTypes.StringType, false)});

  private QuarantineSchema() {}
}

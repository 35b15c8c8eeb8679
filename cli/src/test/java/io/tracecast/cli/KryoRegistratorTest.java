package io.tracecast.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.Serializable;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import scala.reflect.ClassTag$;

/** The cluster profiles' Kryo setup round-trips what tracecast's Spark jobs move around. */
class KryoRegistratorTest {
  record Row(String file, long line, List<Double> values) implements Serializable {}

  private static final SerializerInstance KRYO = new KryoSerializer(new SparkConf()
      .set("spark.kryo.registrator", KryoRegistrator.class.getName())).newInstance();

  @SuppressWarnings("unchecked")
  private static <T> T roundTrip(T value) {
    return (T) KRYO.deserialize(KRYO.serialize(value, ClassTag$.MODULE$.Any()),
        ClassTag$.MODULE$.Any());
  }

  @Test
  void serializesRecordsWhichKryoFourCannotBuildFieldSerializersFor() {
    Row row = new Row("rnd/2013-7/1.csv", 4031, List.of(1.5, 0.25));
    assertEquals(row, roundTrip(row));
  }

  @Test
  void serializesNd4jArraysThroughNd4jsRegistrator() {
    INDArray a = Nd4j.create(new float[] {1f, 2f, 3f, 4f, 5f, 6f}, new long[] {2, 3});
    INDArray b = roundTrip(a);
    assertArrayEquals(a.shape(), b.shape());
    assertArrayEquals(a.data().asFloat(), b.data().asFloat());
  }
}

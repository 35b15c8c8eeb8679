package io.tracecast.cli;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import org.nd4j.kryo.Nd4jRegistrator;

/**
 * {@code spark.kryo.registrator} of the cluster profiles: ND4J's registrator (INDArrays as raw
 * buffers) plus Java serialization for records. Spark's Kryo 4 cannot build a field serializer
 * for a Java record (no field offsets on Java 17), and the ETL's and training's values are
 * records; they are all {@link java.io.Serializable}.
 */
public final class KryoRegistrator implements org.apache.spark.serializer.KryoRegistrator {
  @Override
  public void registerClasses(Kryo kryo) {
    new Nd4jRegistrator().registerClasses(kryo);
    kryo.addDefaultSerializer(Record.class, JavaSerializer.class);
  }
}

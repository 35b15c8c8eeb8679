package io.tracecast.cli;

import com.typesafe.config.ConfigFactory;
import java.util.Arrays;
import java.util.List;

/**
 * The JVM options every tracecast JVM gets: what Spark 3.5 needs on Java 17 ({@code --add-opens}
 * of the packages its reflection touches, and one reflection switch) and JavaCPP's
 * {@code maxPhysicalBytes=0} (ND4J's per-allocation OS query off; why in the conf). Their one
 * home is {@code tracecast.java-module-options} in {@code application.conf}: the cluster
 * profiles and the JVMs tracecast starts itself read them from there, and the copies that
 * cannot read HOCON (the Maven property for surefire/failsafe, {@code bin/tracecast}, the
 * README's {@code spark-submit} line, the Airflow DAG) are checked against it by
 * {@code JavaModuleOptionsTest}.
 */
final class JavaModuleOptions {
  static final String KEY = "tracecast.java-module-options";

  private JavaModuleOptions() {}

  /** The options, one JVM argument each, in the configured order. */
  static List<String> list() {
    String value = ConfigFactory.parseResources("application.conf").resolve().getString(KEY);
    return Arrays.stream(value.trim().split("\\s+")).toList();
  }
}

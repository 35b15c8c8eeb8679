package io.tracecast.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Spark standalone cluster on loopback made of separate JVMs: one
 * {@code org.apache.spark.deploy.master.Master} and N {@code org.apache.spark.deploy.worker.Worker}
 * processes, run from plain Spark jars (no Spark installation: a {@code SPARK_HOME} of
 * symbolic links is made under the work directory), and jobs submitted through
 * {@code org.apache.spark.deploy.SparkSubmit} in client mode. Used by the cluster integration
 * test and {@code tracecast bench cluster}; every process's output goes to a log file under the
 * work directory, and {@link #close()} kills them all, executors included.
 */
final class StandaloneCluster implements AutoCloseable {
  /**
   * Spark 3.5 on Java 17: the packages Spark's reflection needs, for every JVM; from
   * {@code tracecast.java-module-options}, their one home ({@link JavaModuleOptions}).
   */
  static final List<String> ADD_OPENS = JavaModuleOptions.list();
  private static final Pattern ALIVE_WORKERS = Pattern.compile("\"aliveworkers\"\\s*:\\s*(\\d+)");

  private final Path work;
  private final Path sparkHome;
  private final int masterPort;
  private final int masterUiPort;
  private final Process master;
  private final List<Process> workers = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final List<Process> submits = new java.util.concurrent.CopyOnWriteArrayList<>();
  /** Kills the processes if this JVM exits without {@link #close()} (Ctrl-C, a timeout). */
  private final Thread shutdownHook = new Thread(this::destroyAll, "standalone-cluster-stop");

  private StandaloneCluster(Path work, Path sparkHome, int masterPort, int masterUiPort,
      Process master) {
    this.work = work;
    this.sparkHome = sparkHome;
    this.masterPort = masterPort;
    this.masterUiPort = masterUiPort;
    this.master = master;
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /**
   * Starts a master and {@code workerCount} workers of {@code coresPerWorker} cores and
   * {@code workerMemoryMb} MB each, and waits until all workers have registered.
   *
   * @param sparkJars Spark's jars (Spark, Scala, Hadoop and what they ship), e.g. the lines of
   *     the cli build's {@code target/classpath.txt}
   */
  static StandaloneCluster start(Path work, List<Path> sparkJars, int workerCount,
      int coresPerWorker, int workerMemoryMb, Duration timeout) throws IOException,
      InterruptedException {
    Files.createDirectories(work);
    Path home = sparkHome(work.resolve("spark-home"), sparkJars);
    int port = freePort();
    int uiPort = freePort();
    Process master = launch(home, work.resolve("master.log"), List.of(
        "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port",
        Integer.toString(port), "--webui-port", Integer.toString(uiPort)), "512m");
    StandaloneCluster cluster = new StandaloneCluster(work, home, port, uiPort, master);
    try {
      for (int i = 0; i < workerCount; i++) {
        cluster.startWorker(coresPerWorker, workerMemoryMb);
      }
      cluster.awaitAliveWorkers(workerCount, timeout);
      return cluster;
    } catch (IOException | InterruptedException | RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  String masterUrl() {
    return "spark://127.0.0.1:" + masterPort;
  }

  /** Starts one more worker (it registers asynchronously: see {@link #awaitAliveWorkers}). */
  void startWorker(int cores, int memoryMb) throws IOException {
    int n = workers.size() + 1;
    Path dir = Files.createDirectories(work.resolve("worker-" + n));
    workers.add(launch(sparkHome, work.resolve("worker-" + n + ".log"), List.of(
        "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--cores",
        Integer.toString(cores), "--memory", memoryMb + "m", "--webui-port",
        Integer.toString(freePort()), "--work-dir", dir.toString(), masterUrl()), "512m"));
  }

  /** Kills worker {@code index} (0-based) and its executors at once, like a lost machine. */
  void killWorker(int index) throws InterruptedException {
    Process w = workers.get(index);
    w.descendants().forEach(ProcessHandle::destroyForcibly);
    w.destroyForcibly();
    w.waitFor();
  }

  /** Workers the master counts as alive, from its web UI's JSON; -1 when it does not answer. */
  int aliveWorkers() {
    try {
      HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + masterUiPort + "/json/"))
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
      Matcher m = ALIVE_WORKERS.matcher(r.body());
      return r.statusCode() == 200 && m.find() ? Integer.parseInt(m.group(1)) : -1;
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  void awaitAliveWorkers(int count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    int alive = -1;
    while (System.nanoTime() < deadline) {
      if (!master.isAlive()) {
        throw new IllegalStateException("Spark master exited with " + master.exitValue()
            + ", see " + work.resolve("master.log"));
      }
      alive = aliveWorkers();
      if (alive == count) {
        return;
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException("after " + timeout.toSeconds() + " s the Spark master has "
        + alive + " alive workers, expected " + count + "; logs in " + work);
  }

  /**
   * Runs {@code spark-submit --master <this cluster> --deploy-mode client} in its own JVM
   * (the driver), output to {@code log}.
   *
   * @param driverJvmOptions options of the driver JVM, e.g. {@code -Dtracecast.train.max-epochs=2}
   * @param sparkConf {@code --conf} properties
   */
  Process submit(Path appJar, String mainClass, List<String> driverJvmOptions,
      Map<String, String> sparkConf, List<String> appArgs, Path log) throws IOException {
    List<String> args = new ArrayList<>(List.of("org.apache.spark.deploy.SparkSubmit",
        "--master", masterUrl(), "--deploy-mode", "client", "--class", mainClass));
    sparkConf.forEach((k, v) -> {
      args.add("--conf");
      args.add(k + "=" + v);
    });
    args.add(appJar.toString());
    args.addAll(appArgs);
    List<String> jvm = new ArrayList<>(driverJvmOptions);
    jvm.add(0, "-Xmx2g");
    Process p = launch(sparkHome, log, jvm, args);
    submits.add(p);
    return p;
  }

  /** Kills every process this cluster started (drivers, workers with their executors, master). */
  @Override
  public void close() {
    destroyAll();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // the JVM is shutting down: the hook runs (harmlessly) too
    }
  }

  private void destroyAll() {
    List<Process> all = new ArrayList<>(submits);
    all.addAll(workers);
    all.add(master);
    for (Process p : all) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
    for (Process p : all) {
      try {
        p.waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** A SPARK_HOME that the worker's executor launcher accepts: jars/ and a RELEASE file. */
  private static Path sparkHome(Path home, List<Path> sparkJars) throws IOException {
    Path jars = Files.createDirectories(home.resolve("jars"));
    for (Path jar : sparkJars) {
      Path link = jars.resolve(jar.getFileName());
      if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        Files.createSymbolicLink(link, jar.toAbsolutePath());
      }
    }
    Path release = home.resolve("RELEASE");
    if (!Files.exists(release)) {
      Files.createFile(release);
    }
    return home;
  }

  private static Process launch(Path sparkHome, Path log, List<String> mainAndArgs, String heap)
      throws IOException {
    return launch(sparkHome, log, List.of("-Xmx" + heap), mainAndArgs);
  }

  private static Process launch(Path sparkHome, Path log, List<String> jvmOptions,
      List<String> mainAndArgs) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(ADD_OPENS);
    cmd.addAll(jvmOptions);
    cmd.add("-cp");
    cmd.add(sparkHome.resolve("jars") + "/*");
    cmd.addAll(mainAndArgs);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    Map<String, String> env = pb.environment();
    env.put("SPARK_HOME", sparkHome.toString());
    env.put("SPARK_SCALA_VERSION", "2.12");
    env.put("SPARK_LOCAL_IP", "127.0.0.1");
    env.put("SPARK_LOCAL_DIRS", sparkHome.resolveSibling("local").toString());
    env.put("OMP_NUM_THREADS", "1");
    return pb.start();
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The jars listed in a classpath file (one line, ':'-separated), e.g. target/classpath.txt. */
  static List<Path> readClasspath(Path file) throws IOException {
    List<Path> jars = new ArrayList<>();
    for (String entry : Files.readString(file).trim().split(java.io.File.pathSeparator)) {
      if (!entry.isBlank()) {
        jars.add(Path.of(entry));
      }
    }
    return jars;
  }
}

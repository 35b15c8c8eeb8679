package io.tracecast.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code mlflow server} from PyPI for the tests: the venv comes from
 * {@code tools/pyenv tools/requirements-mlflow.txt .venv-mlflow} (made on first use, reused
 * after), the server listens on 127.0.0.1 on a free port with a SQLite backend store and
 * proxied artifacts under {@code dir}. {@link #close} stops it and its workers, also when the
 * test failed (use try-with-resources).
 */
final class MlflowServer implements AutoCloseable {
  static final String REQUIREMENTS = "tools/requirements-mlflow.txt";
  private static final long START_TIMEOUT_MILLIS = 240_000;

  private final Process process;
  private final Path log;
  final String python;
  final String uri;

  private MlflowServer(Process process, Path log, String python, String uri) {
    this.process = process;
    this.log = log;
    this.python = python;
    this.uri = uri;
  }

  /** The venv's python, after making sure the venv holds what the requirements pin. */
  static String python(Path root) throws IOException, InterruptedException {
    String venv = System.getProperty("tracecast.mlflow.venv", ".venv-mlflow");
    long t0 = System.nanoTime();
    Process p = new ProcessBuilder("bash", "tools/pyenv", REQUIREMENTS, venv)
        .directory(root.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    if (p.waitFor() != 0) {
      throw new IllegalStateException("tools/pyenv " + REQUIREMENTS + " failed (exit "
          + p.exitValue() + "); see its messages above");
    }
    System.out.printf("mlflow venv ready in %.1f s%n", (System.nanoTime() - t0) / 1e9);
    Path python = Path.of(out);
    return (python.isAbsolute() ? python : root.resolve(python)).toString();
  }

  static MlflowServer start(Path root, Path dir) throws IOException, InterruptedException {
    String python = python(root);
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Files.createDirectories(dir);
    Path log = dir.resolve("server.log");
    List<String> cmd = new ArrayList<>(List.of(python, "-m", "mlflow", "server",
        "--host", "127.0.0.1", "--port", Integer.toString(port), "--workers", "1",
        "--backend-store-uri", "sqlite:///" + dir.resolve("mlflow.db").toAbsolutePath(),
        "--artifacts-destination", dir.resolve("artifacts").toAbsolutePath().toString()));
    long t0 = System.nanoTime();
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    // MLflow 3's server otherwise starts seven Huey job consumers (server-side jobs such as
    // trace rollups, unused here) that outlive it until they notice it is gone.
    pb.environment().put("MLFLOW_SERVER_ENABLE_JOB_EXECUTION", "false");
    Process p = pb.start();
    MlflowServer server = new MlflowServer(p, log, python, "http://127.0.0.1:" + port);
    try {
      server.awaitHealthy(t0);
    } catch (IOException | RuntimeException | InterruptedException e) {
      server.close();
      throw e;
    }
    System.out.printf("mlflow server %s up in %.1f s%n", server.uri, (System.nanoTime() - t0)
        / 1e9);
    return server;
  }

  private void awaitHealthy(long t0) throws IOException, InterruptedException {
    while (System.nanoTime() - t0 < START_TIMEOUT_MILLIS * 1_000_000L) {
      if (!process.isAlive()) {
        throw new IllegalStateException("mlflow server exited with " + process.exitValue()
            + ":\n" + tail());
      }
      try {
        HttpURLConnection c = (HttpURLConnection) new URL(uri + "/health").openConnection();
        c.setConnectTimeout(1000);
        c.setReadTimeout(2000);
        if (c.getResponseCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException("mlflow server not healthy after "
        + START_TIMEOUT_MILLIS / 1000 + " s:\n" + tail());
  }

  /** Runs {@code python script args...}; returns stdout, failing with stderr on a non-zero exit. */
  String runPython(Path script, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(python, script.toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).start();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Thread drain = new Thread(() -> copy(p.getErrorStream(), err));
    drain.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    boolean done = p.waitFor(300, TimeUnit.SECONDS);
    drain.join(5000);
    if (!done || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IllegalStateException(script.getFileName() + " failed:\n"
          + err.toString(StandardCharsets.UTF_8));
    }
    return out;
  }

  private static void copy(InputStream in, ByteArrayOutputStream out) {
    try {
      in.transferTo(out);
    } catch (IOException e) {
      // the process is gone; what was read is kept
    }
  }

  String tail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /** Stops the server and every process it started (uvicorn's workers). */
  @Override
  public void close() {
    List<ProcessHandle> children = process.descendants().toList();
    process.destroy();
    children.forEach(ProcessHandle::destroy);
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
  }
}

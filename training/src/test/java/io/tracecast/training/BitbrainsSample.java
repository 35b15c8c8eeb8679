package io.tracecast.training;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Real windows for model tests: the CPU usage of the first Bitbrains VM in the bundled sample
 * ({@code data/samples/bitbrains/2013-7/1.csv.gz}, field 4 "CPU usage [%]" / 100), cut into
 * stride-1 windows of {@code lookback} inputs and one next-step target, with one feature.
 * Values are min-max scaled over the rows used, like the ETL's default scaler, so that losses
 * are on a known scale.
 */
public final class BitbrainsSample {
  private BitbrainsSample() {}

  public record Windows(List<float[]> inputs, List<float[]> targets) {}

  public static Path file() {
    String root = System.getProperty("tracecast.root", "..");
    return Path.of(root, "data", "samples", "bitbrains", "2013-7", "1.csv.gz");
  }

  /** The first {@code rows} CPU fractions of the file, in [0, 1]. */
  public static double[] cpuFractions(int rows) {
    double[] out = new double[rows];
    try (BufferedReader r = new BufferedReader(new InputStreamReader(
        new GZIPInputStream(Files.newInputStream(file())), StandardCharsets.UTF_8))) {
      r.readLine(); // header
      for (int i = 0; i < rows; i++) {
        String line = r.readLine();
        if (line == null) {
          throw new IllegalStateException(file() + " has only " + i + " data rows");
        }
        out[i] = Double.parseDouble(line.split(";")[4].trim()) / 100.0;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  public static Windows windows(int count, int lookback, int skipRows) {
    double[] raw = cpuFractions(skipRows + count + lookback);
    double min = Double.MAX_VALUE;
    double max = -Double.MAX_VALUE;
    for (int i = skipRows; i < raw.length; i++) {
      min = Math.min(min, raw[i]);
      max = Math.max(max, raw[i]);
    }
    List<float[]> in = new ArrayList<>();
    List<float[]> out = new ArrayList<>();
    for (int w = 0; w < count; w++) {
      float[] x = new float[lookback];
      for (int t = 0; t < lookback; t++) {
        x[t] = (float) ((raw[skipRows + w + t] - min) / (max - min));
      }
      in.add(x);
      out.add(new float[] {(float) ((raw[skipRows + w + lookback] - min) / (max - min))});
    }
    return new Windows(in, out);
  }
}

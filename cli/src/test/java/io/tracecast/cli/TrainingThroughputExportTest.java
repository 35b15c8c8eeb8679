package io.tracecast.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tracecast.cli.TrainBenchSelection.SpecSource;
import io.tracecast.training.kind.ModelKinds;
import io.tracecast.training.network.NetworkShape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code bench train --export-windows} hands bench/train_torch.py. */
class TrainingThroughputExportTest {
  @TempDir Path dir;

  @Test
  void writesNcwWindowsTargetFeaturesAndTheMeasuredSpecs() throws Exception {
    // 2 windows, lookback 3, 2 features (time-major: step 0 = {f0, f1}, ...), horizon 2, target =
    // feature 1
    NetworkShape shape = new NetworkShape(3, 2, 2, 1, List.of(1));
    float[] w0 = {0, 10, 1, 11, 2, 12};
    float[] w1 = {3, 13, 4, 14, 5, 15};
    TrainingThroughput.Pool pool = new TrainingThroughput.Pool(List.of(w0, w1),
        List.of(new float[] {20, 21}, new float[] {22, 23}), shape);
    TrainingThroughput.exportWindows(pool, dir);
    // [window][feature][step], written out by hand
    assertArrayEquals(new float[] {0, 1, 2, 10, 11, 12, 3, 4, 5, 13, 14, 15},
        floats(dir.resolve("features.f32")));
    assertArrayEquals(new float[] {20, 21, 22, 23}, floats(dir.resolve("targets.f32")));
    assertEquals("2 2 3 2\n", Files.readString(dir.resolve("shape.txt")));
    assertEquals("1\n", Files.readString(dir.resolve("target_features.txt")));

    var pipeline = TrainBenchSelection.pipelineSettings(Settings.load(null, null, Map.of()));
    TrainingThroughput.exportSpec(dir, "pipeline",
        SpecSource.PIPELINE.spec(ModelKinds.CNN, pipeline, 2));
    TrainingThroughput.exportSpec(dir, "default",
        SpecSource.DEFAULT.spec(ModelKinds.STACKED_LSTM, null, 2));
    // cnn: 50 dense units, 32 filters of width 3, median, residual (conf/application.conf);
    // stacked_lstm: its own 64-32, dropout 0.2, batch 16, Adam 0.01, MSE
    assertEquals(List.of(
        "kind,spec,batch,units,quantiles,dropout,residual,learning_rate,gradient_clip,filters,"
            + "kernel,lookback_used",
        "cnn,pipeline,64,50,0.5,0.0,true,0.001,1.0,32,3,0",
        "stacked_lstm,default,16,64;32,,0.2,false,0.01,1.0,0,0,0"),
        Files.readAllLines(dir.resolve("specs.csv")));
  }

  private static float[] floats(Path file) throws Exception {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    float[] out = new float[b.remaining() / 4];
    b.asFloatBuffer().get(out);
    return out;
  }
}

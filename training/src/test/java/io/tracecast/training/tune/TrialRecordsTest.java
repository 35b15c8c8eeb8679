package io.tracecast.training.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracecast.training.registry.ModelMetadata.Epoch;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a search leaves behind: the trial log and trials.csv. */
class TrialRecordsTest {
  @TempDir
  Path tmp;

  private static Map<String, Object> params(int hidden, String loss) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("hidden_1", hidden);
    p.put("learning-rate", 0.001);
    p.put("loss", loss);
    return p;
  }

  private static final List<Trial> TRIALS = List.of(
      new Trial(0, params(64, "mse"), Trial.Status.COMPLETE, 0.05,
          List.of(new Epoch(1, 1, 1, 0.9), new Epoch(2, 0.8, 0.8, 0.7)), 2, 1.5, null),
      new Trial(1, params(8, "median"), Trial.Status.PRUNED, 0.07,
          List.of(new Epoch(1, 1, 1, 1.2)), 1, 0.5, null),
      Trial.failed(2, params(16, "mse"), 0.1, new IllegalStateException("diverged, badly")));

  @Test
  void theTrialLogReadsBackWhatWasAppendedFailedTrialsIncluded() {
    String path = tmp.resolve("a/trials.jsonl").toString();
    TrialLog log = TrialLog.open(path, new Configuration());
    TRIALS.forEach(log::append);
    List<Trial> read = TrialLog.open(path, new Configuration()).trials();
    assertEquals(3, read.size());
    assertEquals(TRIALS.get(0).params(), read.get(0).params());
    assertEquals(TRIALS.get(1).epochs(), read.get(1).epochs());
    assertEquals(Trial.Status.FAILED, read.get(2).status());
    assertTrue(Double.isNaN(read.get(2).objective()));
    assertTrue(read.get(2).error().contains("diverged"));
  }

  @Test
  void trialsCsvHasOneRowPerTrialWithParametersAndTheCurve() {
    String[] lines = TrialsCsv.of(TRIALS).split("\n");
    assertEquals("trial,status,validation_mae,best_epoch,epochs,seconds,hidden_1,learning-rate,"
        + "loss,val_mae_e1,val_mae_e2", lines[0]);
    assertEquals("0,complete,0.0500000,2,2,1.50,64,0.001,mse,0.900000,0.700000", lines[1]);
    assertEquals("1,pruned,0.0700000,1,1,0.50,8,0.001,median,1.20000,", lines[2]);
    assertEquals("2,failed,,0,0,0.10,16,0.001,mse,,", lines[3]);
  }
}

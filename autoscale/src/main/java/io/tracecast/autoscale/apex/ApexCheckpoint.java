package io.tracecast.autoscale.apex;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracecast.autoscale.agent.ActorCritic;
import io.tracecast.autoscale.agent.AgentSettings;
import io.tracecast.common.StagedCommit;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

/**
 * A training run's state after a validated round, on any Hadoop filesystem, replaced as one
 * directory rename ({@link StagedCommit}), so that a kill leaves the previous checkpoint or the
 * new one: the four networks with their updater state, the best policy so far and the counters.
 * The replay is not kept (Ape-X's actors refill it; a resumed run acts one round before it
 * learns again). A checkpoint whose {@code key} (dataset, jobs and every setting) differs from
 * the run's is not resumed.
 */
public final class ApexCheckpoint {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> NETWORKS = List.of("actor", "critic", "target-actor",
      "target-critic");

  private final String dir;
  private final String key;
  private final Configuration conf;

  public ApexCheckpoint(String dir, String key, Configuration conf) {
    this.dir = dir;
    this.key = key;
    this.conf = conf;
  }

  /** What a resumed run continues from. */
  public record State(String key, int round, long updates, long transitions, double bestScore,
      int bestRound, List<ApexTrainer.Progress> history) {}

  /** Restored networks, best policy and counters. */
  public record Restored(ActorCritic nets, ActorCritic.Snapshot best, State state) {}

  public void save(ActorCritic nets, ActorCritic.Snapshot best, State state) {
    StagedCommit commit = StagedCommit.begin(dir, true, conf);
    try {
      FileSystem fs = commit.fileSystem();
      Path out = new Path(commit.staging());
      fs.mkdirs(out);
      List<MultiLayerNetwork> networks = List.of(nets.actor(), nets.critic(), nets.targetActor(),
          nets.targetCritic());
      for (int i = 0; i < NETWORKS.size(); i++) {
        try (OutputStream o = fs.create(new Path(out, NETWORKS.get(i) + ".zip"), false)) {
          ModelSerializer.writeModel(networks.get(i), o, true);
        }
      }
      try (ObjectOutputStream o = new ObjectOutputStream(fs.create(new Path(out, "best.bin"),
          false))) {
        o.writeObject(best);
      }
      try (OutputStream o = fs.create(new Path(out, "state.json"), false)) {
        JSON.writeValue(o, state);
      }
      commit.commit();
    } catch (IOException | RuntimeException e) {
      commit.abort();
      throw e instanceof IOException io ? new UncheckedIOException("cannot checkpoint to " + dir,
          io) : (RuntimeException) e;
    }
  }

  /** The checkpoint of this run, if one with the same key is there. */
  public Optional<Restored> load(int features, AgentSettings settings) {
    try {
      Path root = new Path(StagedCommit.readable(dir, conf));
      FileSystem fs = root.getFileSystem(conf);
      Path statePath = new Path(root, "state.json");
      if (!fs.exists(statePath)) {
        return Optional.empty();
      }
      State state;
      try (InputStream in = fs.open(statePath)) {
        state = JSON.readValue(in, State.class);
      }
      if (!key.equals(state.key())) {
        return Optional.empty();
      }
      MultiLayerNetwork[] n = new MultiLayerNetwork[NETWORKS.size()];
      for (int i = 0; i < n.length; i++) {
        try (InputStream in = fs.open(new Path(root, NETWORKS.get(i) + ".zip"))) {
          n[i] = ModelSerializer.restoreMultiLayerNetwork(in, true);
        }
      }
      ActorCritic.Snapshot best;
      try (ObjectInputStream in = new ObjectInputStream(fs.open(new Path(root, "best.bin")))) {
        best = (ActorCritic.Snapshot) in.readObject();
      }
      return Optional.of(new Restored(ActorCritic.of(features, settings, n[0], n[1], n[2], n[3]),
          best, state));
    } catch (IOException | ClassNotFoundException e) {
      throw new IllegalStateException("cannot resume from checkpoint " + dir + ": " + e, e);
    }
  }

  /** Removes the checkpoint once the run's policy is published. */
  public void delete() {
    try {
      Path p = new Path(dir);
      p.getFileSystem(conf).delete(p, true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete checkpoint " + dir, e);
    }
  }

  public String key() {
    return key;
  }
}

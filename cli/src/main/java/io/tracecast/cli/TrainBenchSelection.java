package io.tracecast.cli;

import com.typesafe.config.Config;
import io.tracecast.training.config.TrainSettings;
import io.tracecast.training.config.TrainSettingsParser;
import io.tracecast.training.kind.ModelKind;
import io.tracecast.training.kind.ModelKinds;
import io.tracecast.training.kind.ModelSpec;
import io.tracecast.training.kind.NetworkArchitecture;
import io.tracecast.training.kind.TrainingConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What {@code tracecast bench train} measures: which network kinds ({@code --kinds}) and whose
 * spec of each ({@code --spec}), parsed once at start-up into typed values.
 *
 * @param kinds network kinds, in the registry's list order when defaulted, else as given
 * @param specs the spec sources, each measured for every kind
 */
record TrainBenchSelection(List<NetworkArchitecture> kinds, List<SpecSource> specs) {

  TrainBenchSelection {
    kinds = List.copyOf(kinds);
    specs = List.copyOf(specs);
    if (kinds.isEmpty() || specs.isEmpty()) {
      throw new IllegalArgumentException("bench train: needs at least one kind and one spec");
    }
  }

  /** Whose spec of a kind is measured. */
  enum SpecSource {
    /** The kind's own defaults ({@link NetworkArchitecture#defaults()}). */
    DEFAULT,
    /**
     * What {@code tracecast pipeline} trains for the kind: {@code tracecast.pipeline.train} over
     * {@code tracecast.train} (e.g. mlp 64-32 with the median loss and the residual head),
     * as {@link TrainBenchSelection#pipelineSettings} parses it.
     */
    PIPELINE;

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }

    /**
     * This source's spec of {@code kind} with exactly {@code epochs} epochs (a warm-up shorter
     * than the run, as {@code NetworkOverrides} keeps it): the epoch count does not change the
     * work per sample, only how long the bench runs.
     */
    ModelSpec spec(NetworkArchitecture kind, TrainSettings pipeline, int epochs) {
      if (epochs < 1) {
        throw new IllegalArgumentException("--epochs must be >= 1, got " + epochs);
      }
      ModelSpec s = switch (this) {
        case DEFAULT -> kind.defaults();
        case PIPELINE -> pipeline.spec(kind);
      };
      TrainingConfig t = s.training();
      return s.withTraining(t.withEpochs(epochs, Math.min(t.warmupEpochs(), epochs - 1)));
    }
  }

  /**
   * {@code --kinds} (comma-separated ids; null or blank: every network kind of
   * {@link ModelKinds#networks()}) and {@code --spec} (comma-separated {@code default},
   * {@code pipeline}).
   *
   * @throws IllegalArgumentException naming the option and the valid values
   */
  static TrainBenchSelection parse(String kinds, String specs) {
    List<NetworkArchitecture> k = new ArrayList<>();
    if (kinds == null || kinds.isBlank()) {
      k.addAll(ModelKinds.networks());
    } else {
      List<String> ids = List.of(kinds.split(","));
      for (ModelKind kind : TrainSettingsParser.kinds(ids, "--kinds")) {
        if (!(kind.architecture() instanceof NetworkArchitecture n) || !kind.id().equals(n.id())) {
          throw new IllegalArgumentException("--kinds: " + kind.id() + " is not a network kind "
              + "trained per job, expected one of " + ModelKinds.networks());
        }
        k.add(n);
      }
    }
    List<SpecSource> s = new ArrayList<>();
    for (String id : (specs == null ? "default" : specs).split(",")) {
      SpecSource source = null;
      for (SpecSource v : SpecSource.values()) {
        if (v.label().equals(id.trim().toLowerCase(Locale.ROOT))) {
          source = v;
        }
      }
      if (source == null) {
        throw new IllegalArgumentException("--spec: unknown spec '" + id + "', expected "
            + "default, pipeline or both (default,pipeline)");
      }
      if (!s.contains(source)) {
        s.add(source);
      }
    }
    return new TrainBenchSelection(k, s);
  }

  /**
   * The pipeline's training settings ({@code tracecast.pipeline.train} over
   * {@code tracecast.train}), parsed once; invalid keys fail here with their full path.
   */
  static TrainSettings pipelineSettings(Config config) {
    return TrainSettingsParser.parse(PipelineCommand.withPipelineOverrides(config, "train",
        TrainSettingsParser.ROOT));
  }
}

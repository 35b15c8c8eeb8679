package io.tracecast.training.registry;

import java.util.List;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Every name of the registry's directory layout, and of the training state kept beside it, in
 * one place:
 * <pre>
 *   &lt;registry&gt;/&lt;job&gt;/_aliases.json                          alias -> {model, version}
 *   &lt;registry&gt;/&lt;job&gt;/&lt;model&gt;/v&lt;N&gt;/metadata.json           {@link ModelMetadata}
 *   &lt;registry&gt;/&lt;job&gt;/&lt;model&gt;/v&lt;N&gt;/model.zip               networks (DL4J ModelSerializer)
 *   &lt;registry&gt;/&lt;job&gt;/&lt;model&gt;/v&lt;N&gt;/&lt;file&gt;                  other families' own files
 *   &lt;registry&gt;/&lt;job&gt;/&lt;model&gt;/v&lt;N&gt;/checksums.sha256        SHA-256 of every file above
 *   &lt;registry&gt;/&lt;job&gt;/&lt;model&gt;/.staging-&lt;uuid&gt;/             a version being published
 *   &lt;registry&gt;/_patterns/&lt;fingerprint&gt;/patterns.json        usage patterns of a dataset
 *   &lt;registry&gt;/_intervals/&lt;fingerprint&gt;/intervals.json      conformal offsets per version, step
 *   &lt;checkpoints&gt;/&lt;job&gt;/&lt;model&gt;/                           per-epoch checkpoints
 *   &lt;checkpoints&gt;/_tune/&lt;job&gt;/&lt;kind&gt;/trials.jsonl           a search's trial log
 *   &lt;checkpoints&gt;/_tune/&lt;job&gt;/&lt;kind&gt;/networks/trial-&lt;n&gt;.zip   trial networks that may win
 *   &lt;checkpoints&gt;/_tune/&lt;job&gt;/&lt;kind&gt;/checkpoints/             the trials' own checkpoints
 *   &lt;checkpoints&gt;/_autoscale/&lt;run&gt;/                      an autoscaling policy's training
 * </pre>
 * {@code <checkpoints>} is {@code tracecast.train.checkpoint-dir}, by default
 * {@code <registry>/_checkpoints}; {@code tune}'s reports go to {@code <registry>/_tune} by
 * default. Ids are encoded by {@link RegistryNames}, whose encoding never starts with '.' or
 * '_', so every name of the registry's own starts with one of them.
 */
public final class RegistryLayout {
  public static final String METADATA_FILE = "metadata.json";
  public static final String MODEL_FILE = "model.zip";
  public static final String CHECKSUMS_FILE = "checksums.sha256";
  public static final String ALIASES_FILE = "_aliases.json";
  public static final String PATTERNS_DIR = "_patterns";
  public static final String PATTERNS_FILE = "patterns.json";
  public static final String INTERVALS_DIR = "_intervals";
  public static final String INTERVALS_FILE = "intervals.json";
  public static final String CHECKPOINTS_DIR = "_checkpoints";
  public static final String TUNE_DIR = "_tune";
  public static final String AUTOSCALE_DIR = "_autoscale";
  static final String STAGING_PREFIX = ".staging-";
  static final String REPLACED_PREFIX = ".replaced-";
  private static final Pattern VERSION_DIR = Pattern.compile("v[1-9][0-9]{0,8}");

  private RegistryLayout() {}

  /** {@code v<N>}, the directory of version N. */
  public static String versionDir(int version) {
    if (version < 1) {
      throw new IllegalArgumentException("versions start at 1, got " + version);
    }
    return "v" + version;
  }

  /** The version a directory name {@code v<N>} holds; empty for any other name. */
  public static OptionalInt version(String dirName) {
    return VERSION_DIR.matcher(dirName).matches()
        ? OptionalInt.of(Integer.parseInt(dirName.substring(1))) : OptionalInt.empty();
  }

  /** A fresh hidden staging directory name. */
  static String staging() {
    return STAGING_PREFIX + UUID.randomUUID();
  }

  /** A fresh hidden name for a directory moved aside while it is replaced. */
  static String replaced() {
    return REPLACED_PREFIX + UUID.randomUUID();
  }

  /** {@code tracecast.train.checkpoint-dir} when set, else {@code <registry>/_checkpoints}. */
  public static String checkpoints(String registryRoot, String checkpointDir) {
    return checkpointDir.isEmpty() ? registryRoot + "/" + CHECKPOINTS_DIR : checkpointDir;
  }

  /** The checkpoint of an autoscaling policy's training run {@code run}. */
  public static String autoscaleCheckpoint(String checkpointRoot, String run) {
    return checkpointRoot + "/" + AUTOSCALE_DIR + "/" + run;
  }

  /** Where {@code tune} writes its reports unless told: {@code <registry>/_tune}. */
  public static String tuneReports(String registryRoot) {
    return registryRoot + "/" + TUNE_DIR;
  }

  /** The search directory of (job, kind): trial log, kept networks, trial checkpoints. */
  public static String searchDir(String checkpointRoot, String job, String kind) {
    return checkpointRoot + "/" + TUNE_DIR + "/" + RegistryNames.encode(job, "job") + "/"
        + RegistryNames.encode(kind, "model");
  }

  /** A search's trial log (JSON lines). */
  public static String trialLog(String searchDir) {
    return searchDir + "/trials.jsonl";
  }

  /** Where trial {@code number}'s network is kept (if it may win). */
  public static String trialNetwork(String searchDir, int number) {
    return trialNetworks(searchDir) + "/trial-" + number + ".zip";
  }

  /** The directory of a search's kept trial networks. */
  public static String trialNetworks(String searchDir) {
    return searchDir + "/networks";
  }

  /** The checkpoint root of a search's trials (model {@code trial-<n>} of the job). */
  public static String trialCheckpoints(String searchDir) {
    return searchDir + "/checkpoints";
  }

  /** The checkpoint model name of trial {@code number}. */
  public static String trialModel(int number) {
    return "trial-" + number;
  }

  /**
   * The checkpoint "job" of a usage pattern's network: no trace names its jobs with a leading
   * "_" (job ids are machine, VM or collection ids). The members' hash is in it because a
   * checkpoint is resumed on the same dataset and spec, and a rerun with other pattern settings
   * may give the same index other members.
   */
  public static String patternCheckpoints(int pattern, List<String> members) {
    return "_pattern-" + pattern + "-" + Integer.toHexString(members.hashCode());
  }

  /** The checkpoint job name of a global network over {@code members} (as for a pattern's). */
  public static String globalCheckpoints(List<String> members) {
    return "_global-" + Integer.toHexString(members.hashCode());
  }

  /**
   * The checkpoint model name of a fine-tuned network: the start version in the name, since a
   * checkpoint resumes on the same dataset and spec, and a rerun starts from another pattern
   * network.
   */
  public static String tunedCheckpoints(String model, int startVersion) {
    return model + "-from-" + versionDir(startVersion);
  }
}

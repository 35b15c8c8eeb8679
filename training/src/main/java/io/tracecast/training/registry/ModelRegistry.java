package io.tracecast.training.registry;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.tracecast.common.IdPaths;
import io.tracecast.common.PausePoint;
import io.tracecast.training.registry.AliasFile.Target;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * The offline model registry, the contract between training and evaluation:
 * <pre>
 *   &lt;root&gt;/&lt;job&gt;/_aliases.json                 alias -> {model, version}
 *   &lt;root&gt;/&lt;job&gt;/&lt;model&gt;/v&lt;N&gt;/metadata.json      {@link ModelMetadata}, with its {@link ModelFamily}
 *   &lt;root&gt;/&lt;job&gt;/&lt;model&gt;/v&lt;N&gt;/model.zip          networks: DL4J ModelSerializer, updater state included
 *   &lt;root&gt;/&lt;job&gt;/&lt;model&gt;/v&lt;N&gt;/&lt;file&gt;             other families: their own files (e.g. XGBoost boosters)
 *   &lt;root&gt;/&lt;job&gt;/&lt;model&gt;/v&lt;N&gt;/checksums.sha256   SHA-256 of metadata.json and every file above
 *   &lt;root&gt;/_patterns/&lt;dataset fingerprint&gt;/patterns.json      usage patterns of a dataset
 *   &lt;root&gt;/_patterns/&lt;dataset fingerprint&gt;/checksums.sha256   its SHA-256
 * </pre>
 * The pattern file is training's {@code PatternModel} as JSON; the registry only stores it, one
 * per dataset fingerprint, so that a job the registry has no model of can be assigned a pattern
 * and served a pooled model ({@link #publishPatterns}, {@link #patterns}).
 * Networks are published and loaded with {@link #publish(String, String, ComputationGraph,
 * ModelMetadata)} and {@link #load}; every family's files go through {@link #publish(String,
 * String, ModelMetadata, Map)} and {@link #readFile}, the family's own code decoding them.
 * Job and model ids are encoded by {@link RegistryNames}, so none escapes the root. Hadoop
 * FileSystem, so the root may be a local path, {@code file://} or {@code hdfs://}.
 *
 * <p>Publishing is atomic: files go to {@code <model>/.staging-<uuid>/}, which is then renamed to
 * {@code v<N>} with N = highest existing + 1. The rename is without overwrite: HDFS refuses it
 * when the target exists, and POSIX rename(2) refuses to replace a non-empty directory, so of two
 * concurrent publishers that pick the same N exactly one wins and the other retries with N + 1.
 * Readers never see a partial version; versions never change after publication.
 */
public final class ModelRegistry {
  private static final String MODEL_FILE = RegistryLayout.MODEL_FILE;
  private static final String METADATA_FILE = RegistryLayout.METADATA_FILE;
  /** Names a family may give its files: one plain segment, none of the registry's own. */
  private static final java.util.regex.Pattern FILE_NAME =
      java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  private static final int MAX_PUBLISH_ATTEMPTS = 1000;

  private final FileSystem fs;
  private final FileContext fc;
  private final Path root;
  private final DatasetDocuments patternsStore;
  private final DatasetDocuments intervalsStore;
  private final ObjectMapper json = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .configure(SerializationFeature.FAIL_ON_EMPTY_BEANS, false);

  private ModelRegistry(FileSystem fs, FileContext fc, Path root) {
    this.fs = fs;
    this.fc = fc;
    this.root = root;
    DatasetDocuments.Moves moves = new DatasetDocuments.Moves() {
      @Override
      public void renameWithoutOverwrite(Path from, Path to) throws IOException {
        ModelRegistry.this.renameWithoutOverwrite(from, to);
      }

      @Override
      public void deleteQuietly(Path p) {
        ModelRegistry.this.deleteQuietly(p);
      }
    };
    this.patternsStore = new DatasetDocuments(fs, new Path(root, RegistryLayout.PATTERNS_DIR),
        RegistryLayout.PATTERNS_FILE, "usage patterns", moves);
    this.intervalsStore = new DatasetDocuments(fs, new Path(root, RegistryLayout.INTERVALS_DIR),
        RegistryLayout.INTERVALS_FILE, "interval calibration", moves);
  }

  /** Opens (and creates if needed) the registry at {@code root}. */
  public static ModelRegistry open(String root, Configuration conf) {
    try {
      Path p = new Path(root);
      FileSystem fs = p.getFileSystem(conf);
      p = fs.makeQualified(p);
      fs.mkdirs(p);
      // Our SHA-256 files are the integrity check; Hadoop's local .crc side files would only
      // clutter the layout and pre-empt our clearer error.
      fs.setWriteChecksum(false);
      fs.setVerifyChecksum(false);
      return new ModelRegistry(fs, FileContext.getFileContext(p.toUri(), conf), p);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open model registry " + root + ": " + e, e);
    }
  }

  public String root() {
    return root.toString();
  }

  /** Stores {@code network} (with updater state) and its metadata as the next version. */
  public ModelVersion publish(String job, String model, ComputationGraph network,
      ModelMetadata metadata) {
    if (metadata.family() != ModelFamily.NETWORK) {
      throw new IllegalArgumentException(job + "/" + model + ": a DL4J network cannot be "
          + "published with " + metadata.family().id() + " metadata");
    }
    return publishStaged(job, model, metadata, List.of(MODEL_FILE), staging -> {
      try (OutputStream out = fs.create(new Path(staging, MODEL_FILE), false)) {
        NetworkFiles.write(network, out, true);
      }
    });
  }

  /**
   * Stores a version of any family: its metadata plus {@code files} by name (e.g.
   * {@code model-0.ubj}; none for a baseline whose parameters are in the metadata), atomically
   * and checksummed like a network.
   */
  public ModelVersion publish(String job, String model, ModelMetadata metadata,
      Map<String, byte[]> files) {
    for (String name : files.keySet()) {
      if (!FILE_NAME.matcher(name).matches() || name.equals(METADATA_FILE)
          || name.equals(Checksums.FILE)) {
        throw new IllegalArgumentException(job + "/" + model + ": '" + name + "' is not a "
            + "usable file name (one segment of [A-Za-z0-9._-], not " + METADATA_FILE + " or "
            + Checksums.FILE + ")");
      }
    }
    List<String> names = new ArrayList<>(new TreeMap<>(files).keySet());
    return publishStaged(job, model, metadata, names, staging -> {
      for (String name : names) {
        try (OutputStream out = fs.create(new Path(staging, name), false)) {
          out.write(files.get(name));
        }
      }
    });
  }

  /** Writes a version's own files into the staging directory. */
  @FunctionalInterface
  private interface StagedFiles {
    void write(Path staging) throws IOException;
  }

  /**
   * The one publication path: stage {@code fileNames} (written by {@code writer}) and the
   * metadata, checksum them, then rename the staging directory to the next free version.
   */
  private ModelVersion publishStaged(String job, String model, ModelMetadata metadata,
      List<String> fileNames, StagedFiles writer) {
    if (!job.equals(metadata.job()) || !model.equals(metadata.model())) {
      throw new IllegalArgumentException("metadata is for " + metadata.job() + "/"
          + metadata.model() + ", not " + job + "/" + model);
    }
    Path modelDir = modelDir(job, model);
    Path staging = new Path(modelDir, RegistryLayout.staging());
    try {
      fs.mkdirs(staging);
      writer.write(staging);
      PausePoint.reach("registry.files");
      try (OutputStream out = fs.create(new Path(staging, METADATA_FILE), false)) {
        json.writeValue(out, metadata);
      }
      List<String> checksummed = new ArrayList<>(fileNames);
      checksummed.add(METADATA_FILE);
      Checksums.write(fs, staging, checksummed);
      PausePoint.reach("registry.staged");
      for (int attempt = 0; attempt < MAX_PUBLISH_ATTEMPTS; attempt++) {
        int version = latest(job, model) + 1;
        Path target = new Path(modelDir, RegistryLayout.versionDir(version));
        try {
          renameWithoutOverwrite(staging, target);
          return new ModelVersion(job, model, version, target.toString());
        } catch (FileAlreadyExistsException | java.nio.file.FileAlreadyExistsException
            | java.nio.file.DirectoryNotEmptyException e) {
          // another publisher took this number between our listing and our rename
        } catch (IOException e) {
          if (!fs.exists(target)) {
            throw e;
          }
        }
      }
      throw new IOException("no free version after " + MAX_PUBLISH_ATTEMPTS + " attempts");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot publish " + job + "/" + model + " to " + root
          + ": " + e, e);
    } finally {
      deleteQuietly(staging);
    }
  }

  /**
   * One file of a version, of any family, after checking it against the version's checksums
   * ({@value Checksums#FILE} itself, what the others are checked against, as it is).
   *
   * @throws RegistryCorruptedException when the file is not listed or does not match its digest
   */
  public byte[] readFile(ModelVersion version, String name) {
    Path dir = new Path(resolve(version).path());
    try {
      Path file = new Path(dir, name);
      if (!FILE_NAME.matcher(name).matches() || !fs.exists(file)) {
        throw new IllegalArgumentException(dir + " has no file '" + name + "' (it has "
            + Checksums.listing(fs, dir).keySet() + ")");
      }
      byte[] bytes;
      try (InputStream in = fs.open(file)) {
        bytes = in.readAllBytes();
      }
      if (!name.equals(Checksums.FILE)) {
        Checksums.verifyBytes(fs, dir, name, bytes);
      }
      return bytes;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + dir + "/" + name + ": " + e, e);
    }
  }

  /**
   * Every file of a version, sorted: {@value Checksums#FILE} and the files it lists
   * ({@value #METADATA_FILE}, the model files), each readable with {@link #readFile}; for
   * copying a version elsewhere (the MLflow export).
   */
  public List<String> files(ModelVersion version) {
    Path dir = new Path(resolve(version).path());
    try {
      java.util.TreeSet<String> names = new java.util.TreeSet<>(Checksums.listing(fs, dir)
          .keySet());
      names.add(Checksums.FILE);
      return List.copyOf(names);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir + ": " + e, e);
    }
  }

  /** Published versions of one job's model, ascending; empty when there are none. */
  public List<Integer> versions(String job, String model) {
    try {
      return versionsIn(modelDir(job, model));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + job + "/" + model + ": " + e, e);
    }
  }

  /** Every published version, by job, model and version. */
  public List<ModelVersion> list() {
    List<ModelVersion> out = new ArrayList<>();
    try {
      for (FileStatus jobDir : fs.listStatus(root)) {
        String job = jobDir.isDirectory() ? RegistryNames.decode(jobDir.getPath().getName()) : null;
        if (job == null) {
          continue;
        }
        for (FileStatus modelDir : fs.listStatus(jobDir.getPath())) {
          String model = modelDir.isDirectory()
              ? RegistryNames.decode(modelDir.getPath().getName()) : null;
          if (model == null) {
            continue;
          }
          List<Integer> versions = versionsIn(modelDir.getPath());
          String jobId = job;
          String modelId = model;
          if (!versions.isEmpty() && (IdPaths.isShortened(job) || IdPaths.isShortened(model))) {
            // a long id's directory holds a prefix and a hash: the id is in the metadata
            ModelMetadata m = readMetadata(new Path(modelDir.getPath(),
                RegistryLayout.versionDir(versions.get(0))));
            jobId = m.job();
            modelId = m.model();
          }
          for (int v : versions) {
            out.add(new ModelVersion(jobId, modelId, v, new Path(modelDir.getPath(),
                RegistryLayout.versionDir(v)).toString()));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list registry " + root + ": " + e, e);
    }
    out.sort(Comparator.comparing(ModelVersion::job).thenComparing(ModelVersion::model)
        .thenComparingInt(ModelVersion::version));
    return out;
  }

  /**
   * Loads a network version after verifying its checksums; any family's version is read as a
   * forecaster by {@link ModelLoader}.
   *
   * @throws RegistryCorruptedException when a file does not match its checksum
   * @throws IllegalArgumentException when the version is not a {@link ModelFamily#NETWORK}
   */
  public LoadedModel load(ModelVersion version) {
    ModelVersion v = resolve(version);
    String job = v.job();
    String model = v.model();
    Path dir = new Path(v.path());
    try {
      Map<String, String> listed = Checksums.verify(fs, dir, List.of(METADATA_FILE));
      ModelMetadata metadata = readMetadata(dir);
      if (metadata.family() != ModelFamily.NETWORK) {
        throw new IllegalArgumentException(job + "/" + model + " v" + v.version() + " is a "
            + metadata.family().id() + " model, not a DL4J network: read it with its family's "
            + "loader (files " + listed.keySet() + ")");
      }
      if (!listed.containsKey(MODEL_FILE)) {
        throw new RegistryCorruptedException(new Path(dir, Checksums.FILE) + " does not list "
            + MODEL_FILE);
      }
      ComputationGraph net;
      try (InputStream in = fs.open(new Path(dir, MODEL_FILE))) {
        net = NetworkFiles.read(in, true);
      }
      return new LoadedModel(v, metadata, net);
    } catch (org.apache.hadoop.fs.ChecksumException e) {
      throw new RegistryCorruptedException(dir + ": storage checksum error: " + e.getMessage());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot load " + dir + ": " + e, e);
    }
  }

  /** The version {@code ref} names, loaded as {@link #load(ModelVersion)} does. */
  public LoadedModel load(String job, String model, VersionRef ref) {
    return load(resolve(job, model, ref));
  }

  /**
   * The metadata of a version, checksums verified, without restoring the network (for listings
   * and {@code tracecast registry show}).
   */
  public ModelMetadata metadata(ModelVersion version) {
    Path dir = new Path(resolve(version).path());
    try {
      Checksums.verify(fs, dir, List.of(METADATA_FILE));
      return readMetadata(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + dir + ": " + e, e);
    }
  }

  /**
   * A version's metadata, refused when a newer tracecast wrote it: its fields may mean what this
   * version cannot know (as the dataset manifest reader refuses a newer manifest).
   */
  private ModelMetadata readMetadata(Path dir) throws IOException {
    Path file = new Path(dir, METADATA_FILE);
    ModelMetadata metadata;
    try (InputStream in = fs.open(file)) {
      metadata = json.readValue(in, ModelMetadata.class);
    }
    if (metadata.schemaVersion() > ModelMetadata.SCHEMA_VERSION) {
      throw new IllegalArgumentException(file + ": schema version " + metadata.schemaVersion()
          + ", this tracecast reads up to " + ModelMetadata.SCHEMA_VERSION
          + "; use the tracecast that wrote it, or a newer one");
    }
    return metadata;
  }

  /**
   * Stores the usage patterns fitted on the dataset with this fingerprint (see
   * {@link DatasetDocuments#publish}).
   *
   * @return true when something was written, false when the same patterns were stored already
   */
  public boolean publishPatterns(String datasetFingerprint, String patternsJson) {
    return patternsStore.publish(datasetFingerprint, patternsJson);
  }

  /** The stored patterns JSON of a dataset, checksum verified; empty when none is stored. */
  public java.util.Optional<String> patterns(String datasetFingerprint) {
    return patternsStore.read(datasetFingerprint);
  }

  /** Fingerprints of the datasets with stored patterns, sorted. */
  public List<String> patternFingerprints() {
    return patternsStore.fingerprints();
  }

  /**
   * Stores the interval calibration that evaluation computed on the dataset with this
   * fingerprint (every scored version's conformal offsets per step; the JSON is evaluation's),
   * replacing an older one atomically.
   *
   * @return true when something was written, false when the same JSON was stored already
   */
  public boolean publishIntervals(String datasetFingerprint, String json) {
    return intervalsStore.publish(datasetFingerprint, json);
  }

  /** The stored interval calibration JSON of a dataset; empty when none is stored. */
  public java.util.Optional<String> intervals(String datasetFingerprint) {
    return intervalsStore.read(datasetFingerprint);
  }

  /** Points {@code alias} of {@code job} at an existing version, replacing the file atomically. */
  public void setAlias(String job, String alias, String model, int version) {
    RegistryNames.encode(alias, "alias");
    if (!versions(job, model).contains(version)) {
      throw new IllegalArgumentException("cannot alias " + alias + " to " + job + "/" + model
          + "/v" + version + ": no such version");
    }
    try {
      Map<String, Target> table = new TreeMap<>(AliasFile.read(fs, jobDir(job), json));
      table.put(alias, new Target(model, version));
      AliasFile.write(fs, fc, jobDir(job), table, json);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot set alias " + alias + " of " + job + ": " + e, e);
    }
  }

  /** The job's aliases: alias -> version. */
  public Map<String, ModelVersion> aliases(String job) {
    try {
      Map<String, ModelVersion> out = new TreeMap<>();
      AliasFile.read(fs, jobDir(job), json).forEach((alias, t) ->
          out.put(alias, new ModelVersion(job, t.model(), t.version(),
              new Path(modelDir(job, t.model()), RegistryLayout.versionDir(t.version()))
                  .toString())));
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read aliases of " + job + ": " + e, e);
    }
  }

  /** The metadata of the version {@code ref} names. */
  public ModelMetadata metadata(String job, String model, VersionRef ref) {
    return metadata(resolve(job, model, ref));
  }

  /** {@code version} as this registry has it (it must exist), with its path here. */
  public ModelVersion resolve(ModelVersion version) {
    return resolve(version.job(), version.model(), VersionRef.version(version.version()));
  }

  /** The version {@code ref} names; an alias must point at this model. */
  public ModelVersion resolve(String job, String model, VersionRef ref) {
    int version;
    if (ref instanceof VersionRef.Number n) {
      version = n.version();
    } else if (ref instanceof VersionRef.Alias a) {
      ModelVersion aliased = aliases(job).get(a.name());
      if (aliased == null || !aliased.model().equals(model)) {
        throw new IllegalArgumentException(job + "/" + model + ": '" + ref + "' is neither a "
            + "version nor an alias of this model (aliases: " + aliases(job) + ")");
      }
      version = aliased.version();
    } else {
      version = latest(job, model);
    }
    if (!versions(job, model).contains(version)) {
      throw new IllegalArgumentException(job + "/" + model + ": no version " + ref
          + " (published: " + versions(job, model) + ")");
    }
    return new ModelVersion(job, model, version, new Path(modelDir(job, model),
        RegistryLayout.versionDir(version)).toString());
  }

  private int latest(String job, String model) {
    List<Integer> vs = versions(job, model);
    return vs.isEmpty() ? 0 : vs.get(vs.size() - 1);
  }

  private List<Integer> versionsIn(Path modelDir) throws IOException {
    List<Integer> out = new ArrayList<>();
    FileStatus[] entries;
    try {
      entries = fs.listStatus(modelDir);
    } catch (FileNotFoundException e) {
      return out;
    }
    for (FileStatus s : entries) {
      java.util.OptionalInt v = RegistryLayout.version(s.getPath().getName());
      if (s.isDirectory() && v.isPresent()) {
        out.add(v.getAsInt());
      }
    }
    out.sort(null);
    return out;
  }

  private Path jobDir(String job) {
    return new Path(root, RegistryNames.encode(job, "job"));
  }

  private Path modelDir(String job, String model) {
    return new Path(jobDir(job), RegistryNames.encode(model, "model"));
  }

  /**
   * Renames a directory, failing when the target exists. On HDFS (and other Hadoop file
   * systems) FileContext's rename without overwrite is atomic. Hadoop's local file system
   * checks for the target and then renames, and when another publisher's directory appears in
   * between it moves ours inside it: a lost version. Locally, rename(2) itself is used instead:
   * it refuses a non-empty target directory.
   */
  private void renameWithoutOverwrite(Path from, Path to) throws IOException {
    if ("file".equals(fs.getUri().getScheme())) {
      java.nio.file.Files.move(java.nio.file.Paths.get(from.toUri()),
          java.nio.file.Paths.get(to.toUri()), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } else {
      fc.rename(from, to, Options.Rename.NONE);
    }
  }

  private void deleteQuietly(Path p) {
    try {
      fs.delete(p, true);
    } catch (IOException e) {
      // a leftover hidden staging directory is ignored by every reader
    }
  }
}

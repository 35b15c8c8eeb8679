package io.tracecast.mlflow;

import java.util.List;

/**
 * What one export did.
 *
 * @param versions every version in scope, in the registry's order
 * @param evaluationsLogged evaluations logged as metrics now; {@code evaluationsPresent} were
 *     logged by an earlier export
 * @param aliasesSet aliases set or moved now, as {@code <registered model>@<alias> -> <version>}
 * @param aliasesRemoved aliases taken off a registered model because tracecast's alias of that
 *     name now points at another model
 * @param notes what was left out and why (an alias MLflow cannot take, a version out of scope)
 */
public record ExportResult(List<Exported> versions, int evaluationsLogged,
    int evaluationsPresent, List<String> aliasesSet, List<String> aliasesRemoved,
    List<String> notes) {

  public ExportResult {
    versions = List.copyOf(versions);
    aliasesSet = List.copyOf(aliasesSet);
    aliasesRemoved = List.copyOf(aliasesRemoved);
    notes = List.copyOf(notes);
  }

  /** How many versions this export created in MLflow (the others were there already). */
  public long created() {
    return versions.stream().filter(Exported::created).count();
  }

  /**
   * One tracecast version and its MLflow model version.
   *
   * @param mlflowVersion MLflow's number, which need not equal tracecast's
   * @param created false when an earlier export made it
   */
  public record Exported(String versionId, String registeredModel, String mlflowVersion,
      String runId, boolean created) {}
}

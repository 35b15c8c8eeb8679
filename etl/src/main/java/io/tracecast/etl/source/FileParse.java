package io.tracecast.etl.source;

import io.tracecast.etl.quarantine.QuarantineRecord;
import io.tracecast.etl.quarantine.Reason;
import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * What reading one input file produced. For a used file,
 * {@code rowsRead == rowsAccepted + quarantined.size()}; a skipped file contributes no rows.
 *
 * @param rowsRead non-header lines read (blank lines included: they are quarantined)
 * @param notes counts of repairs that kept rows, by counter name
 * @param skipReason non-null when the file was skipped as a whole
 */
public record FileParse(
    String file, long rowsRead, long rowsAccepted, List<SeriesChunk> chunks,
    List<QuarantineRecord> quarantined, Map<String, Long> notes, Reason skipReason,
    String skipDetail) implements Serializable {

  public FileParse {
    chunks = List.copyOf(chunks);
    quarantined = List.copyOf(quarantined);
    notes = Map.copyOf(notes);
    if (skipReason == null && rowsRead != rowsAccepted + quarantined.size()) {
      throw new IllegalStateException(file + ": rows read " + rowsRead + " != accepted "
          + rowsAccepted + " + quarantined " + quarantined.size());
    }
  }

  public static FileParse skipped(String file, Reason reason, String detail) {
    return new FileParse(file, 0, 0, List.of(), List.of(), Map.of(), reason, detail);
  }

  public boolean isSkipped() {
    return skipReason != null;
  }
}

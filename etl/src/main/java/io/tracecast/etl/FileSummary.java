package io.tracecast.etl;

import io.tracecast.etl.quarantine.QuarantineRecord;
import io.tracecast.etl.quarantine.Reason;
import io.tracecast.etl.source.FileParse;
import io.tracecast.etl.source.SeriesChunk;
import java.io.Serializable;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** The driver's view of one parsed file: counts only, no rows. */
record FileSummary(String file, long rowsRead, long rowsAccepted, long rowsQuarantined,
    Map<String, Long> quarantinedByReason, Map<String, Long> notes,
    List<SeriesChunk.SeriesKey> series, Reason skipReason, String skipDetail)
    implements Serializable {

  static FileSummary of(FileParse p) {
    Map<String, Long> byReason = new TreeMap<>();
    for (QuarantineRecord q : p.quarantined()) {
      byReason.merge(q.reason().name(), 1L, Long::sum);
    }
    return new FileSummary(p.file(), p.rowsRead(), p.rowsAccepted(), p.quarantined().size(),
        byReason, p.notes(), p.chunks().stream().map(SeriesChunk::key).toList(), p.skipReason(),
        p.skipDetail());
  }

  /** True when no series appears in two files, so series need no shuffle to be whole. */
  static boolean seriesAreFileLocal(List<FileSummary> files) {
    Set<SeriesChunk.SeriesKey> seen = new HashSet<>();
    for (FileSummary f : files) {
      for (SeriesChunk.SeriesKey k : f.series()) {
        if (!seen.add(k)) {
          return false;
        }
      }
    }
    return true;
  }
}

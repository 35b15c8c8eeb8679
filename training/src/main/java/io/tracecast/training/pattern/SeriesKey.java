package io.tracecast.training.pattern;

/**
 * One series across datasets: several datasets are clustered together, and job ids are only
 * unique within one.
 *
 * @param dataset the dataset's name ({@link SeriesSource#dataset()}: its source, e.g. google2019)
 */
public record SeriesKey(String dataset, String jobId, String seriesId)
    implements Comparable<SeriesKey> {

  public SeriesKey {
    if (dataset == null || dataset.isBlank() || jobId == null || jobId.isBlank()
        || seriesId == null || seriesId.isBlank()) {
      throw new IllegalArgumentException("series key needs a dataset, a job and a series, got "
          + dataset + "/" + jobId + "/" + seriesId);
    }
  }

  @Override
  public int compareTo(SeriesKey o) {
    int c = dataset.compareTo(o.dataset);
    c = c != 0 ? c : jobId.compareTo(o.jobId);
    return c != 0 ? c : seriesId.compareTo(o.seriesId);
  }

  @Override
  public String toString() {
    return dataset + "/" + jobId + "/" + seriesId;
  }
}

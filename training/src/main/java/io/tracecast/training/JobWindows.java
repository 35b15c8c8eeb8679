package io.tracecast.training;

import java.util.List;

/**
 * One job's windows in memory, in a fixed order (series, segment, end time), as flat time-major
 * arrays straight from the dataset.
 */
record JobWindows(List<float[]> trainInputs, List<float[]> trainTargets,
    List<float[]> validationInputs, List<float[]> validationTargets) {}

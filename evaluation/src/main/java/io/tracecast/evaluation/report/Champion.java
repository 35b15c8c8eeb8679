package io.tracecast.evaluation.report;

/**
 * The model chosen for a job and why: the neural model with the best {@code criterion} value
 * (lowest validation MAE by default). It gets the registry alias {@code champion}.
 *
 * @param reason a sentence for the report, e.g. "lowest validation MAE (0.0123) of 3 models"
 */
public record Champion(String job, String model, int version, String criterion, double value,
    String reason) {}

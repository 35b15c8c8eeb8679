package io.tracecast.evaluation.report;

/**
 * One rendered chart: a PNG kept under {@code plots/} and embedded in the HTML page.
 *
 * @param job the job it belongs to ({@link ModelScore#ALL_JOBS} for the pooled one)
 * @param fileName a safe file name, unique in the report (see {@link FileSlug})
 */
record Plot(String job, String caption, String fileName, byte[] png, int width, int height) {}

/** Evaluation stage: baselines, metrics, reports and champions (issue 4). */
package io.tracecast.evaluation;

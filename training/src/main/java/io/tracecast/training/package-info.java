/** Training stage: DL4J models per job on Spark, published to the offline registry (issue 3). */
package io.tracecast.training;

package io.tracecast.mlflow;

/**
 * A call to the MLflow server failed: what was called, the HTTP status and MLflow's error code
 * and message (e.g. {@code RESOURCE_DOES_NOT_EXIST}); status 0 when no answer came.
 */
public final class MlflowException extends RuntimeException {
  private final int status;
  private final String errorCode;

  public MlflowException(String call, int status, String errorCode, String message) {
    super(call + ": " + (status == 0 ? "" : "HTTP " + status + " ")
        + (errorCode == null ? "" : errorCode + ": ") + message);
    this.status = status;
    this.errorCode = errorCode;
  }

  public int status() {
    return status;
  }

  /** MLflow's error code, or null when the body was not an MLflow error. */
  public String errorCode() {
    return errorCode;
  }

  /** The resource (experiment, registered model, run) does not exist. */
  public boolean notFound() {
    return "RESOURCE_DOES_NOT_EXIST".equals(errorCode) || status == 404 && errorCode == null;
  }
}

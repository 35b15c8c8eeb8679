package io.tracecast.training.tune;

import java.io.Serializable;
import java.util.List;
import java.util.Locale;

/**
 * One hyperparameter of a search space. Numeric dimensions are searched in an internal
 * coordinate: the value itself, or its natural log for the log-scaled types (a learning rate
 * from 1e-4 to 1e-2 is as likely below 1e-3 as above); integer types round on the way out.
 * A categorical dimension's internal coordinate is the index of its choice.
 *
 * @param low smallest value (numeric types), inclusive; > 0 for log types
 * @param high largest value (numeric types), inclusive
 * @param choices the values of a categorical dimension (JSON-shaped: strings, numbers, booleans)
 */
public record Dimension(String name, Type type, double low, double high, List<Object> choices)
    implements Serializable {

  /** How values are drawn. */
  public enum Type {
    INT, LOG_INT, FLOAT, LOG_FLOAT, CATEGORICAL;

    /** {@code log-int}, {@code float}, ... as written in HOCON. */
    public String id() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Type fromId(String id) {
      for (Type t : values()) {
        if (t.id().equals(id)) {
          return t;
        }
      }
      throw new IllegalArgumentException("unknown type '" + id + "', expected one of "
          + java.util.Arrays.stream(values()).map(Type::id).toList());
    }
  }

  public Dimension {
    choices = choices == null ? List.of() : List.copyOf(choices);
    if (type == Type.CATEGORICAL) {
      if (choices.isEmpty()) {
        throw new IllegalArgumentException(name + ": a categorical dimension needs values");
      }
    } else {
      if (!(Double.isFinite(low) && Double.isFinite(high) && low <= high)) {
        throw new IllegalArgumentException(name + ": min <= max expected, got " + low + ", "
            + high);
      }
      if ((type == Type.LOG_INT || type == Type.LOG_FLOAT) && !(low > 0)) {
        throw new IllegalArgumentException(name + ": a log-scaled range needs min > 0, got "
            + low);
      }
    }
  }

  public static Dimension numeric(String name, Type type, double low, double high) {
    return new Dimension(name, type, low, high, List.of());
  }

  public static Dimension categorical(String name, List<?> choices) {
    return new Dimension(name, Type.CATEGORICAL, 0, 0, List.copyOf(choices));
  }

  public boolean isCategorical() {
    return type == Type.CATEGORICAL;
  }

  private boolean isLog() {
    return type == Type.LOG_INT || type == Type.LOG_FLOAT;
  }

  private boolean isInt() {
    return type == Type.INT || type == Type.LOG_INT;
  }

  /** Lower bound of the internal coordinate (numeric types). */
  public double internalLow() {
    return isLog() ? Math.log(low) : low;
  }

  /** Upper bound of the internal coordinate (numeric types). */
  public double internalHigh() {
    return isLog() ? Math.log(high) : high;
  }

  /** The value at internal coordinate {@code x}, clipped to the range; an Integer for int types. */
  public Object valueAt(double x) {
    if (isCategorical()) {
      return choices.get((int) Math.max(0, Math.min(choices.size() - 1, Math.round(x))));
    }
    double v = Math.max(low, Math.min(high, isLog() ? Math.exp(x) : x));
    return isInt() ? (Object) (int) Math.round(v) : (Object) v;
  }

  /**
   * The internal coordinate of {@code value}, or NaN when it is not a value of this dimension
   * (e.g. a default outside a categorical's choices).
   */
  public double internal(Object value) {
    if (isCategorical()) {
      for (int i = 0; i < choices.size(); i++) {
        if (String.valueOf(choices.get(i)).equals(String.valueOf(value))) {
          return i;
        }
      }
      return Double.NaN;
    }
    if (!(value instanceof Number n)) {
      return Double.NaN;
    }
    double v = Math.max(low, Math.min(high, n.doubleValue()));
    return isLog() ? Math.log(v) : v;
  }

  /** For metadata and logs: the dimension as it was configured. */
  public String describe() {
    return isCategorical() ? name + " in " + choices
        : String.format(Locale.ROOT, "%s %s [%s, %s]", name, type.id(), low, high);
  }
}

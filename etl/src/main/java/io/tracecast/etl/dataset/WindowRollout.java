package io.tracecast.etl.dataset;

import io.tracecast.etl.feature.CalendarFeature;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How a window's model-space inputs ({@link WindowSchema}'s layout, {@link WindowScaling}'s
 * space) move one step ahead when a recursive model feeds its own one-step forecast back
 * (mlforecast's default strategy). Part of the dataset contract because only the dataset knows
 * what each channel is. Every channel shifts left by one step and its new last step is
 * <ul>
 *   <li>a target: the forecast;</li>
 *   <li>a seasonal lag of a target: its previous last value (the window holds the lag values up
 *       to {@code y(t + H + 1 - season)}, so the values aligned with the next forecast points
 *       are exact after the shift; only the far end is held);</li>
 *   <li>any other metric: its last value (its future is unknown: persistence);</li>
 *   <li>a calendar channel: the next time step's value, by rotating its sine/cosine pair by the
 *       angle between its last two steps (exact: a step is a fixed angle of every cycle), or
 *       linear extrapolation for a channel without its partner.</li>
 * </ul>
 * In window normalisation ({@code relative}) a metric channel is relative to the last value of
 * its base metric and a target to its own last value, in the series' scale of that target (the
 * same scale the target channel has): after a step of forecast delta {@code d}, a target's and
 * its lag channels' values all move by {@code -d}, and the forecast of step h relative to the
 * origin is the sum of the h one-step deltas. In job normalisation the values are absolute.
 *
 * @param lookback steps per window
 * @param channels each input channel's role, in the dataset's feature order
 * @param targets the number of targets (the one-step model's output columns)
 * @param relative whether the model space is window-normalised (relative to the last value)
 */
public record WindowRollout(int lookback, List<Channel> channels, int targets, boolean relative)
    implements Serializable {

  /** What a channel is to the rollout. */
  public enum Role { TARGET, LAG, METRIC, CALENDAR }

  /**
   * @param target for {@link Role#TARGET} and {@link Role#LAG}: the target index, else -1
   * @param sine for {@link Role#CALENDAR}: the channel's index of its sine/cosine partner pair
   *     as {@code [sine, cosine]}, or null where it has no partner
   */
  public record Channel(Role role, int target, int[] sine) implements Serializable {
    public Channel {
      if (role == null) {
        throw new IllegalArgumentException("a rollout channel needs a role");
      }
      boolean ofTarget = role == Role.TARGET || role == Role.LAG;
      if (ofTarget != (target >= 0)) {
        throw new IllegalArgumentException(role + " channel with target index " + target);
      }
      if (sine != null && (role != Role.CALENDAR || sine.length != 2)) {
        throw new IllegalArgumentException("only a calendar channel has a [sine, cosine] pair");
      }
    }
  }

  public WindowRollout {
    channels = List.copyOf(channels);
    if (lookback < 1 || targets < 1 || channels.isEmpty()) {
      throw new IllegalArgumentException("a rollout needs lookback, targets and channels >= 1, "
          + "got " + lookback + ", " + targets + ", " + channels.size());
    }
    for (int j = 0; j < targets; j++) {
      final int t = j;
      if (channels.stream().noneMatch(c -> c.role() == Role.TARGET && c.target() == t)) {
        throw new IllegalArgumentException("target " + j + " is not an input channel: a "
            + "recursive model must see its own forecasts");
      }
    }
  }

  /**
   * The rollout of a dataset: roles from its features, targets, lags and normalisation; null
   * where a target is not among the input features (nothing to feed a forecast back into).
   */
  public static WindowRollout of(Manifest m) {
    if (!m.features().containsAll(m.targets())) {
      return null;
    }
    Map<String, String> base = WindowScaling.baseMetrics(m);
    List<String> features = m.features();
    List<Channel> out = new ArrayList<>();
    for (String f : features) {
      String b = base.get(f);
      if (b == null) {
        out.add(new Channel(Role.CALENDAR, -1, calendarPair(f, features)));
      } else if (m.targets().contains(b)) {
        out.add(new Channel(b.equals(f) ? Role.TARGET : Role.LAG, m.targets().indexOf(b), null));
      } else {
        out.add(new Channel(Role.METRIC, -1, null));
      }
    }
    return new WindowRollout(m.lookback(), out, m.targets().size(),
        m.normalisationMode() == Normalisation.WINDOW);
  }

  /** The [sine, cosine] channel indices of a calendar feature's cycle, or null. */
  private static int[] calendarPair(String feature, List<String> features) {
    String name = CalendarFeature.fromColumn(feature).name();
    String cycle = name.substring(0, name.lastIndexOf('_'));
    int sin = features.indexOf(CalendarFeature.valueOf(cycle + "_SIN").column());
    int cos = features.indexOf(CalendarFeature.valueOf(cycle + "_COS").column());
    return sin < 0 || cos < 0 ? null : new int[] {sin, cos};
  }

  /**
   * The window one step after {@code window} (time-major {@code lookback x channels}), given the
   * model's one-step output per target in {@code window}'s model space.
   */
  public float[] step(float[] window, float[] oneStep) {
    int f = channels.size();
    if (window.length != lookback * f || oneStep.length != targets) {
      throw new IllegalArgumentException("rollout of " + window.length + " inputs and "
          + oneStep.length + " outputs, expected " + lookback * f + " and " + targets);
    }
    float[] next = new float[window.length];
    int last = (lookback - 1) * f;
    for (int c = 0; c < f; c++) {
      Channel ch = channels.get(c);
      float shift = relative && ch.target() >= 0 ? oneStep[ch.target()] : 0f;
      for (int t = 0; t < lookback - 1; t++) {
        next[t * f + c] = window[(t + 1) * f + c] - shift;
      }
      next[last + c] = switch (ch.role()) {
        case TARGET -> relative ? 0f : oneStep[ch.target()];
        case LAG, METRIC -> window[last + c] - shift;
        case CALENDAR -> nextCalendar(window, c, ch.sine());
      };
    }
    return next;
  }

  /**
   * A calendar channel's value one step after the window's last: its cycle's angle advanced by
   * the angle between the last two steps.
   */
  private float nextCalendar(float[] window, int c, int[] pair) {
    int f = channels.size();
    int last = (lookback - 1) * f;
    if (lookback < 2) {
      return window[last + c];
    }
    int prev = last - f;
    if (pair == null) {
      double v = 2.0 * window[last + c] - window[prev + c];
      return (float) Math.max(-1, Math.min(1, v));
    }
    double now = Math.atan2(window[last + pair[0]], window[last + pair[1]]);
    double before = Math.atan2(window[prev + pair[0]], window[prev + pair[1]]);
    double angle = now + (now - before);
    return (float) (c == pair[0] ? Math.sin(angle) : Math.cos(angle));
  }

  /**
   * The channels whose values a rolled window knows exactly at every step (targets, their
   * seasonal lags, the calendar; not the other metrics, which the rollout can only hold), in
   * order: what the later steps' boosters see.
   */
  public List<Integer> knownChannels() {
    List<Integer> out = new ArrayList<>();
    for (int c = 0; c < channels.size(); c++) {
      if (channels.get(c).role() != Role.METRIC) {
        out.add(c);
      }
    }
    return out;
  }

  /** {@code window} with only the {@link #knownChannels}, time-major as the window. */
  public float[] known(float[] window) {
    List<Integer> keep = knownChannels();
    int f = channels.size();
    float[] out = new float[lookback * keep.size()];
    for (int t = 0; t < lookback; t++) {
      for (int i = 0; i < keep.size(); i++) {
        out[t * keep.size() + i] = window[t * f + keep.get(i)];
      }
    }
    return out;
  }

  /** One-step forecasts of a batch of windows: per window one value per target. */
  @FunctionalInterface
  public interface OneStep {
    float[][] of(List<float[]> windows);
  }

  /**
   * The {@code horizon}-step forecasts of {@code windows} by a recursive forecaster, the one
   * loop of every kind that has one: {@code first} forecasts step 1 on the windows as they are,
   * {@code later} each later step on the windows moved ahead by the previous forecasts
   * ({@link #step}; it may read only {@link #known} of them). Step h relative to the origin is
   * the sum of the h one-step deltas in window normalisation, the last forecast itself in job
   * normalisation. Per window {@code horizon x targets} values, step-major as the dataset's
   * targets.
   */
  public float[][] forecast(List<float[]> windows, int horizon, OneStep first, OneStep later) {
    float[][] out = new float[windows.size()][horizon * targets];
    List<float[]> current = new ArrayList<>(windows);
    for (int h = 0; h < horizon; h++) {
      float[][] oneStep = (h == 0 ? first : later).of(current);
      for (int i = 0; i < current.size(); i++) {
        for (int j = 0; j < targets; j++) {
          float previous = h == 0 || !relative ? 0f : out[i][(h - 1) * targets + j];
          out[i][h * targets + j] = previous + oneStep[i][j];
        }
        if (h + 1 < horizon) {
          current.set(i, step(current.get(i), oneStep[i]));
        }
      }
    }
    return out;
  }
}

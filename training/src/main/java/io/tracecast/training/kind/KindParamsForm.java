package io.tracecast.training.kind;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracecast.common.ConfigSection;
import java.io.Serializable;

/**
 * How a network kind's own hyperparameters ({@link KindParams}) are defaulted, configured and
 * read back from a spec's JSON. A kind without any uses {@link #NONE}.
 *
 * @param <P> the kind's record
 */
public interface KindParamsForm<P extends KindParams> extends Serializable {
  /** For kinds without hyperparameters of their own. */
  KindParamsForm<KindParams.None> NONE = new KindParamsForm<>() {
    @Override
    public Class<KindParams.None> type() {
      return KindParams.None.class;
    }

    @Override
    public KindParams.None defaults() {
      return KindParams.NONE;
    }

    @Override
    public KindParams.None configure(ConfigSection train) {
      return KindParams.NONE;
    }

    @Override
    public KindParams.None read(JsonNode spec, ObjectMapper json) {
      return KindParams.NONE;
    }
  };

  Class<P> type();

  /** The defaults of the kind (and of the paper behind it). */
  P defaults();

  /**
   * The kind's keys under {@code tracecast.train} (its own block); absent keys keep the defaults,
   * a bad value fails naming the full key.
   */
  P configure(ConfigSection train);

  /**
   * From a spec's JSON: its {@code params}, or the fields a spec written before {@code params}
   * existed used for them (so every registry version and checkpoint still reads).
   */
  P read(JsonNode spec, ObjectMapper json);
}

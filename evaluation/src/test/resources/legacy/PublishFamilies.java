import com.typesafe.config.ConfigFactory;
import io.tracecast.etl.dataset.Manifest;
import io.tracecast.etl.dataset.ManifestIo;
import io.tracecast.evaluation.config.EvaluationSettings;
import io.tracecast.evaluation.config.EvaluationSettingsParser;
import io.tracecast.evaluation.report.Champion;
import io.tracecast.evaluation.scoring.ChampionPublisher;
import io.tracecast.evaluation.scoring.EnsembleSpec;
import io.tracecast.training.registry.ModelFamily;
import io.tracecast.training.registry.ModelRegistry;
import java.io.File;
import java.util.List;
import org.apache.hadoop.conf.Configuration;

/**
 * Part of generate.sh (b90b1eb's API): publishes a baseline version (arima) and an ensemble
 * version (mlp v1, gbt v1, persistence) of job 2013-7 the way evaluate publishes a champion of
 * those families, under aliases of their own so the evaluated champion alias stays as it is.
 * Usage: java -cp JAR:CLASSPATH PublishFamilies.java DATASET REGISTRY APPLICATION_CONF
 */
public class PublishFamilies {
  public static void main(String[] args) throws Exception {
    Configuration conf = new Configuration();
    Manifest m = ManifestIo.read(args[0], conf);
    EvaluationSettings s = EvaluationSettingsParser.parse(
        ConfigFactory.parseFile(new File(args[2])).resolve());
    ModelRegistry registry = ModelRegistry.open(args[1], conf);
    String job = "2013-7";
    ChampionPublisher.publish(registry, m, args[0],
        new Champion(job, "arima", ModelFamily.BASELINE, 0, 0, "validation_mae", 0, 1, "fixture"),
        s, List.of(), "fixture_baseline");
    ChampionPublisher.publish(registry, m, args[0],
        new Champion(job, "ensemble", ModelFamily.ENSEMBLE, 0, 0, "validation_mae", 0, 1,
            "fixture"), s,
        List.of(new EnsembleSpec.Member("mlp", ModelFamily.NETWORK, 1),
            new EnsembleSpec.Member("gbt", ModelFamily.GBT, 1),
            new EnsembleSpec.Member("persistence", ModelFamily.BASELINE, 0)),
        "fixture_ensemble");
  }
}

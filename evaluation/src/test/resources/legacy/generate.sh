#!/usr/bin/env bash
# Writes the legacy fixture LegacyRegistryTest reads: a dataset, a registry holding every model
# kind and family, and each version's forecasts, all written by tracecast as it was at b90b1eb
# (before issue 22 rebuilt the training module). It only works with that code: run it with a
# launcher of a b90b1eb build, e.g.
#   git worktree add /tmp/b90 b90b1eb && (cd /tmp/b90 && mvn -B -q -DskipTests package)
#   TRACECAST=/tmp/b90/bin/tracecast evaluation/src/test/resources/legacy/generate.sh
# The result replaces dataset/, registry/ and expected/ next to this script. Kept so that the
# fixture can be regenerated, not run by the build.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../../../../.." && pwd)"
TC="${TRACECAST:?set TRACECAST to a launcher of a b90b1eb build}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# Job 2013-7: three Bitbrains VMs (a graph of three nodes, two usage patterns); job 2013-8: one
# VM that gets no model of its own, so predict serves it its pattern's pooled model.
cut() { # cut FROM TO ROWS: the header and the first ROWS data lines of a gzipped trace
  # (head closes the pipe early: gzip's SIGPIPE is expected, so no pipefail here)
  (set +o pipefail; gzip -dc "$1" | head -n $(( $3 + 1 )) | gzip -n > "$2")
}
mkdir -p "$WORK/in/2013-7" "$WORK/in/2013-8"
for vm in 1 2 3; do cut "$ROOT/data/samples/bitbrains/2013-7/$vm.csv.gz" "$WORK/in/2013-7/$vm.csv.gz" 400; done
cut "$ROOT/data/samples/bitbrains/2013-7/4.csv.gz" "$WORK/in/2013-8/4.csv.gz" 400

cat > "$WORK/train.conf" <<'EOF'
tracecast.train {
  max-epochs = 2
  patience = 2
  batch-size = 32
  learning-rate = 0.01
  residual = true
  units { lstm = [4], stacked_lstm = [4, 4], bilstm_attention = [4, 4], cnn_lstm = [4],
          gru = [4], cnn = [4], mlp = [8, 4], graph_gru = [4] }
  quantiles { mlp = [0.5], cnn = [0.5] }
  graph { heads = 2, gcn-layers = 1 }
  gbt { rounds = 20, early-stopping-rounds = 5 }
  fine-tune-epochs = 1
}
tracecast.tune { trials = 2, parallelism = 1, space.default.lookback { type = int, min = 3, max = 6 } }
EOF

D="$WORK/dataset"
R="$WORK/registry"
"$TC" etl --source bitbrains --input "$WORK/in" --output "$D" --lookback 6 --master 'local[2]'
"$TC" train --dataset "$D" --registry "$R" --jobs 2013-7 --conf "$WORK/train.conf" \
  --master 'local[2]' --models lstm,stacked_lstm,bilstm_attention,cnn_lstm,gru,cnn,mlp,graph_gru,gbt,gbt_global,gbt_pattern,mlp_pattern,mlp_tuned
"$TC" tune --dataset "$D" --registry "$R" --jobs 2013-7 --models mlp --conf "$WORK/train.conf" \
  --master 'local[2]' --output "$WORK/tune"
"$TC" evaluate --dataset "$D" --registry "$R" --jobs 2013-7 --report "$WORK/report" \
  --conf "$WORK/train.conf" --master 'local[2]'
# A baseline and an ensemble version, as evaluate publishes one when it is the champion.
# TRACECAST_CLASSPATH: that build's jar and dependencies (default: its cli/target).
B="$(dirname "$(readlink -f "$TC")")/.."
CP="${TRACECAST_CLASSPATH:-$B/cli/target/tracecast-0.1.0-SNAPSHOT.jar:$(cat "$B/cli/target/classpath.txt")}"
java -cp "$CP" "$HERE/PublishFamilies.java" "$D" "$R" "$ROOT/conf/application.conf"
OMP_NUM_THREADS=1 java -cp "$CP" "$HERE/InitialParams.java" \
  | grep -E "^(kind,|[a-z_]+,(default|residual_median),)" > "$WORK/initial-params.csv"

mkdir -p "$WORK/expected"
for dir in "$R"/2013-7/*/v*; do
  model="$(basename "$(dirname "$dir")")"
  version="$(basename "$dir")"
  "$TC" predict --dataset "$D" --registry "$R" --jobs 2013-7 --model "$model" --version "$version" \
    --split test --output "$WORK/expected/$model-$version" --master 'local[1]'
done
# The champion alias, for both jobs: 2013-8 borrows its pattern's pooled model.
"$TC" predict --dataset "$D" --registry "$R" --split test --output "$WORK/expected/champion" \
  --master 'local[1]'

rm -rf "$HERE/dataset" "$HERE/registry" "$HERE/expected"
cp "$WORK/initial-params.csv" "$HERE/initial-params.csv"
cp -r "$D" "$HERE/dataset"
cp -r "$R" "$HERE/registry"
rm -rf "$HERE/registry/_checkpoints" "$HERE/registry/_tune"
cp -r "$WORK/expected" "$HERE/expected"
find "$HERE" -name '.*.crc' -delete
echo "legacy fixture written to $HERE"

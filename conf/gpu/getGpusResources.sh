#!/usr/bin/env bash
# Spark GPU discovery script (spark.{driver,executor}.resource.gpu.discoveryScript):
# prints the GPUs of this host as Spark's ResourceInformation JSON, e.g.
#   {"name": "gpu", "addresses": ["0", "1"]}
# Same contract as Spark's examples/src/main/scripts/getGpusResources.sh.
set -euo pipefail
if ! command -v nvidia-smi >/dev/null 2>&1; then
  echo '{"name": "gpu", "addresses": []}'
  exit 0
fi
ADDRS=$(nvidia-smi --query-gpu=index --format=csv,noheader | sed -e ':a' -e 'N' -e '$!ba' -e 's/\n/","/g')
echo "{\"name\": \"gpu\", \"addresses\": [\"$ADDRS\"]}"

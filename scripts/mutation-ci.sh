#!/usr/bin/env bash
# The mutation campaigns as npm test runs them: every defect must be caught as
# a non-conformity — a scenario that loses its teeth makes a caught defect
# survive, and this script fail.
#   1. the main catalogue (src/model/defects.ts) on the default profile; defects
#      bound to a profile (the SM4 cryptogram) run on it;
#   2. the two hold-out sets (model/defects/holdout.ts, holdout-2.ts), written
#      without the scenarios, on the default and the 3.00 SM4 profile — the
#      lab's default run plus the SM run.
set -euo pipefail
cd "$(dirname "$0")/.."
node bin/ssc-lab.js mutation --quiet --parallel 2 --out reports/mutation "$@"
for set in holdout holdout-2; do
  node bin/ssc-lab.js mutation --quiet --parallel 2 --set "$set" --out "reports/mutation-$set" \
    --profile profiles/default.json --profile profiles/ssc-3.0-sm4.json
done

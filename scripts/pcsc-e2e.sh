#!/usr/bin/env bash
# The whole scenario suite over real PC/SC: pcscd with vsmartcard's vpcd driver,
# the simulated card served to it with its fixture control (a new sample for
# each scenario, blank cards, power cuts), an independent PC/SC client as a
# smoke check, then `ssc-lab run --target pcsc`, whose verdicts must be those
# of the in-process run. Then the reference terminals as terminals under test
# against the whole test-card set, and the removal test: the card pulled out
# mid-command fails that scenario with the reason and the run still reports;
# the pre-flight stops a run on a foreign card or a sample blocked before it.
# Without pcscd and vpcd it says so in one line and passes, unless
# SSC_LAB_REQUIRE_PCSC=1 (CI), which turns the skip into a failure.
# It stops every process it started, by PID.
set -euo pipefail
cd "$(dirname "$0")/.."

VPCD_DRIVER=/usr/lib/pcsc/drivers/serial/libifdvpcd.so
missing=()
command -v pcscd >/dev/null 2>&1 || missing+=(pcscd)
[ -f "$VPCD_DRIVER" ] || missing+=(vsmartcard-vpcd)
node -e "require('pcsclite')" >/dev/null 2>&1 || missing+=("the pcsclite binding (libpcsclite-dev, then npm ci)")
if [ ${#missing[@]} -gt 0 ]; then
  msg="PC/SC end-to-end run skipped: missing ${missing[*]} (apt-get install pcscd libpcsclite-dev vsmartcard-vpcd opensc)"
  if [ "${SSC_LAB_REQUIRE_PCSC:-0}" = "1" ]; then echo "FAIL: $msg" >&2; exit 1; fi
  echo "$msg"
  exit 0
fi

started=()
# the quickack route below, when this script added it (and only then): removed at exit
QUICKACK_ROUTE=(local 127.0.0.2 dev lo table local scope host src 127.0.0.2 quickack 1)
route_added=0
cleanup() {
  for pid in "${started[@]}"; do kill "$pid" 2>/dev/null || true; done
  if [ "$route_added" = 1 ]; then ip route del "${QUICKACK_ROUTE[@]}" 2>/dev/null || true; fi
}
trap cleanup EXIT

if ! pidof pcscd >/dev/null 2>&1; then
  pcscd -f -a >/tmp/ssc-lab-pcscd.log 2>&1 &
  started+=($!)
  sleep 1
fi

# Each APDU waits for a delayed ACK on plain loopback; a quickack route on 127.0.0.2 avoids it.
host=127.0.0.1
if ip route show table local 2>/dev/null | grep -q '127.0.0.2.*quickack'; then
  host=127.0.0.2
elif ip route add "${QUICKACK_ROUTE[@]}" 2>/dev/null; then
  host=127.0.0.2
  route_added=1
fi

reader="Virtual PCD 00 00"
# wait until the reader shows a card (yes) or none (no)
wait_reader() {
  for _ in $(seq 100); do
    if node bin/ssc-lab.js readers 2>/dev/null | grep -q "$reader  $( [ "$1" = yes ] && echo card || echo 'no card')"; then return 0; fi
    sleep 0.1
  done
  echo "FAIL: the reader \"$reader\" did not show $( [ "$1" = yes ] && echo a card || echo 'an empty slot') in time" >&2
  return 1
}
stop() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

node bin/ssc-lab.js sim serve --vpcd "$host:35963" --control "$host:35990" --quiet >/tmp/ssc-lab-serve.log 2>&1 &
serve=$!
started+=($serve)
wait_reader yes

if command -v opensc-tool >/dev/null 2>&1; then
  # independent client: SELECT the PSE, read its directory
  out=$(opensc-tool -r "$reader" -s 00A404000E315041592E5359532E444446303100 -s 00C000001C 2>&1)
  echo "$out" | grep -q "SW1=0x90, SW2=0x00" || { echo "FAIL: the virtual card did not answer opensc-tool:" >&2; echo "$out" >&2; exit 1; }
  echo "opensc-tool sees the virtual card in \"$reader\""
fi

node bin/ssc-lab.js run --target pcsc --reader "$reader" --sim-control "$host:35990" --no-html --quiet --out reports/test-pcsc "$@"
stop "$serve"
wait_reader no

# the same verdicts as in-process (npm test has just written that run; alone, this script makes it)
if [ $# -eq 0 ]; then
  [ -d reports/test-t0/allure-results ] || node bin/ssc-lab.js run --no-html --quiet --out reports/test-t0
  node bin/ssc-lab.js compare reports/test-t0 reports/test-pcsc
fi

# the reference terminals under test, against every card of the test-card set, into the same report
node bin/ssc-lab.js terminal-test --vpcd "$host" --no-html --quiet --out reports/test-pcsc \
  --name "reference social-security terminal" \
  --terminal 'node bin/ssc-lab.js terminal social-security --target pcsc --reader "$SSC_LAB_READER" --psam-reader "$SSC_LAB_PSAM_READER" --profile "$SSC_LAB_CARD_PROFILE" --today 20261201'
node bin/ssc-lab.js terminal-test --vpcd "$host" --no-html --quiet --out reports/test-pcsc \
  --name "reference purchase terminal" \
  --terminal 'node bin/ssc-lab.js terminal purchase --amount 100 --target pcsc --reader "$SSC_LAB_READER" --profile "$SSC_LAB_CARD_PROFILE"'

# a terminal that breaks the rules is caught: opensc-tool sends VERIFY before selecting anything
if command -v opensc-tool >/dev/null 2>&1; then
  rc=0
  out=$(node bin/ssc-lab.js terminal-test --vpcd "$host" --no-html --no-psam --card good-2.0-des --out reports/test-terminal-bad \
    --terminal 'opensc-tool -r "$SSC_LAB_READER" -c default -s 0020000003123456' 2>&1) || rc=$?
  if [ "$rc" != 1 ] || ! echo "$out" | grep -q "✗ \[TERM-IF-01\]"; then echo "FAIL: terminal-test did not find the VERIFY before SELECT (exit $rc):" >&2; echo "$out" >&2; exit 1; fi
  echo "terminal-test finds a non-conforming terminal: $(echo "$out" | grep "✗ \[TERM-IF-01\]" | sed 's/^ *//')"
fi

# bad set-ups are one-line usage errors: a reader that does not exist, nothing listening where the card is to be served
for args in "--reader No-Such-Reader" "--vpcd $host:40000"; do
  rc=0
  # shellcheck disable=SC2086
  out=$(node bin/ssc-lab.js terminal-test $args --card good-t1 --no-html --quiet --out reports/test-terminal-bad --terminal true 2>&1) || rc=$?
  if [ "$rc" != 2 ] || ! echo "$out" | grep -q "^ssc-lab: terminal-test: \(no reader\|vpcd does not answer\)"; then echo "FAIL: terminal-test $args: exit $rc:" >&2; echo "$out" >&2; exit 1; fi
done

# pre-flight: a foreign card (a T=1 card under the T=0 profile) and a sample blocked before the run stop the
# run before any scenario, one line each, exit 2; --force runs them anyway
for card in good-t1 ssse-blocked; do
  node bin/ssc-lab.js sim serve --vpcd "$host:35963" --card "$card" --quiet >/tmp/ssc-lab-preflight.log 2>&1 &
  serve=$!
  started+=($serve)
  wait_reader yes
  rm -rf reports/test-preflight
  rc=0
  out=$(node bin/ssc-lab.js run --target pcsc --reader "$reader" --no-html --quiet --out reports/test-preflight features/card/atr.feature 2>&1) || rc=$?
  if [ "$rc" != 2 ] || ! echo "$out" | grep -q "^ssc-lab: pre-flight: " || [ -e reports/test-preflight/allure-results ]; then
    echo "FAIL: the pre-flight did not stop the run on the test card $card (exit $rc):" >&2; echo "$out" >&2; exit 1
  fi
  echo "pre-flight stops the run on $card: $(echo "$out" | grep '^ssc-lab: pre-flight: ' | head -1 | sed 's/^ssc-lab: pre-flight: //')"
  rc=0
  node bin/ssc-lab.js run --target pcsc --reader "$reader" --no-html --quiet --force --out reports/test-preflight features/card/atr.feature >/dev/null 2>&1 || rc=$?
  if [ "$rc" = 2 ] || [ ! -e reports/test-preflight/allure-results ]; then echo "FAIL: --force did not run past the pre-flight on $card (exit $rc)" >&2; exit 1; fi
  stop "$serve"
  wait_reader no
done

# removal: the card leaves the reader with a command of the run unanswered, after the pre-flight's APDUs (88: identity,
# key versions and check values) and some scenarios'
rm -rf reports/test-removal
node bin/ssc-lab.js sim serve --vpcd "$host:35963" --fresh --remove-after 96 --quiet >/tmp/ssc-lab-removal.log 2>&1 &
serve=$!
started+=($serve)
wait_reader yes
rc=0
node bin/ssc-lab.js run --target pcsc --reader "$reader" --no-html --quiet --out reports/test-removal features/card/read-binary.feature >/tmp/ssc-lab-removal-run.log 2>&1 || rc=$?
stop "$serve"
# how many scenarios the feature has: the same feature on the in-process simulator
node bin/ssc-lab.js run --no-html --quiet --out reports/test-removal-count features/card/read-binary.feature >/dev/null
expected=$(ls reports/test-removal-count/allure-results | grep -c -- '-result.json$')
node --input-type=module - "$rc" "$expected" <<'CHECK'
import { readdirSync, readFileSync } from 'node:fs';
const rc = Number(process.argv[2]);
const expected = Number(process.argv[3]);
const dir = 'reports/test-removal/allure-results';
const results = readdirSync(dir).filter((f) => f.endsWith('-result.json')).map((f) => JSON.parse(readFileSync(`${dir}/${f}`, 'utf8')));
const removed = results.filter((r) => /the card was removed from .* during the command/.test(r.statusDetails?.message ?? ''));
const after = results.filter((r) => r.status !== 'passed' && !removed.includes(r));
const problems = [];
if (rc !== 1) problems.push(`the run exited ${rc}, not 1`);
if (results.length !== expected) problems.push(`${results.length} results, not the feature's ${expected}`);
if (removed.length !== 1 || removed[0].status !== 'broken') problems.push(`${removed.length} scenario(s) failed with "the card was removed from … during the command", not 1`);
// every scenario after the removal: not run (skipped, "Not run: the card left the reader …"), not failed
for (const r of after) if (r.status !== 'skipped' || !/^Not run: the card left the reader/.test(r.statusDetails?.message ?? '')) problems.push(`"${r.name}" after the removal: ${r.status}, ${r.statusDetails?.message}`);
if (after.length === 0) problems.push('no scenario after the removal');
if (!results.some((r) => r.status === 'passed')) problems.push('no scenario passed before the removal');
if (problems.length) {
  console.error(`FAIL: removal test: ${problems.join('; ')}`);
  process.exit(1);
}
console.log(`removal test: "${removed[0].name}" failed with "${removed[0].statusDetails.message.split('\n')[0]}"; ${results.length} results written: ${results.filter((r) => r.status === 'passed').length} passed before the card left, ${after.length} without a card after it`);
CHECK

# removal in the pre-flight: the card leaves before any scenario; one line, exit 2, nothing run, nothing said of the sample
rm -rf reports/test-removal-preflight
node bin/ssc-lab.js sim serve --vpcd "$host:35963" --fresh --remove-after 10 --quiet >/tmp/ssc-lab-removal-preflight.log 2>&1 &
serve=$!
started+=($serve)
wait_reader yes
rc=0
node bin/ssc-lab.js run --target pcsc --reader "$reader" --no-html --quiet --out reports/test-removal-preflight features/card/atr.feature >/tmp/ssc-lab-removal-preflight-run.log 2>&1 || rc=$?
stop "$serve"
if [ "$rc" != 2 ] || ! grep -q "^ssc-lab: run: stopped in the pre-flight, before any scenario" /tmp/ssc-lab-removal-preflight-run.log \
  || [ "$(wc -l </tmp/ssc-lab-removal-preflight-run.log)" != 1 ] || [ -e reports/test-removal-preflight/allure-results ]; then
  echo "FAIL: a card removed in the pre-flight: exit $rc, $(head -c 300 /tmp/ssc-lab-removal-preflight-run.log)" >&2
  exit 1
fi
echo "removal in the pre-flight: $(cat /tmp/ssc-lab-removal-preflight-run.log)"

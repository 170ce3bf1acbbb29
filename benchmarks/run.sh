#!/usr/bin/env bash
# Measures Backend Router against the baselines users would pick instead, and rewrites
# docs/benchmarks.md (tables) and docs/benchmarks/*.svg (charts) from what this run measured.
# Not part of `mvn verify`. Load goes to 127.0.0.1 only; every loop is bounded in count and time.
#
#   benchmarks/run.sh              quick run: about 10 minutes on 2 cores
#   benchmarks/run.sh --full       full run: more forks, iterations and rounds, about 35 minutes
#   benchmarks/run.sh --jmh-only   only the in-process JMH half (quick or --full)
#   benchmarks/run.sh --load-only  only the load and fault scenarios (quick or --full)
#   benchmarks/run.sh --registry-only  only the registry benchmark: 1,000 routers polling vs waiting (about 4 minutes)
#   benchmarks/run.sh --kubernetes-only  only the Kubernetes benchmark: 5,000 endpoints across 50 slices (about a minute)
#
# A half not run keeps its section from the docs/benchmarks.md it finds (each section says when
# and how it was measured).
#
# The nginx baselines need nginx, the Redis scenario redis-server: they are installed from Debian's
# packages when missing (as root, or with sudo). Without them those runs are reported as not run,
# never estimated.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=quick
halves="jmh load registry kubernetes"
for arg in "$@"; do
  case "$arg" in
    --quick) mode=quick ;;
    --full) mode=full ;;
    --jmh-only) halves="jmh" ;;
    --load-only) halves="load" ;;
    --registry-only) halves="registry" ;;
    --kubernetes-only) halves="kubernetes" ;;
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $arg (see --help)" >&2; exit 2 ;;
  esac
done

results=benchmarks/target/results
charts=docs/benchmarks
mkdir -p "$results" "$charts"
rm -f "$results"/*.md

echo "== building (mvn -q -DskipTests -pl benchmarks,backend-registry -am package)"
mvn -q -DskipTests -pl benchmarks,backend-registry -am package
classpath="benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)"

install_nginx() {
  if command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; then
    return 0
  fi
  echo "== installing nginx from Debian's packages"
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 && sudo="sudo -n" || { echo "   not root and no sudo: nginx baselines will not run" >&2; return 0; }
  fi
  # the package's own service is not used: the scenarios start nginx with their own config
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null 2>&1 \
    || { $sudo apt-get update -qq >/dev/null 2>&1 && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null 2>&1; } \
    || echo "   nginx could not be installed: nginx baselines will not run" >&2
}

for half in $halves; do
  case "$half" in
    jmh)
      echo "== JMH, $mode"
      java -cp "$classpath" dev.backendrouter.benchmarks.jmh.JmhSuite "--$mode" --out "$results"
      ;;
    load)
      install_nginx
      bash .ci/packages.sh redis-server=redis-server || echo "   redis-server could not be installed: the Redis scenario will not run" >&2
      nginx_bin="$(command -v nginx || echo /usr/sbin/nginx)"
      echo "== load and fault scenarios, $mode (nginx: $nginx_bin)"
      java -Xmx2g -Dsun.net.httpserver.nodelay=true -cp "$classpath" dev.backendrouter.benchmarks.load.LoadSuite \
        "--$mode" --nginx "$nginx_bin" --out "$results" --charts "$charts"
      ;;
    registry)
      echo "== registry watch, $mode"
      java -cp "$classpath" dev.backendrouter.benchmarks.registry.RegistryWatchBenchmark "--$mode" \
        --jar backend-registry/target/backend-registry.jar --out "$results"
      ;;
    kubernetes)
      echo "== Kubernetes endpoints, $mode"
      java -Xmx1g -cp "$classpath" dev.backendrouter.benchmarks.kubernetes.EndpointSliceBenchmark "--$mode" --out "$results"
      ;;
  esac
done

# the section of docs/benchmarks.md that starts with the heading $1, up to the next "## " heading
kept_section() {
  [ -f docs/benchmarks.md ] || return 1
  awk -v heading="$1" 'index($0, heading) == 1 { on = 1; print; next } on && /^## / { exit } on { print }' docs/benchmarks.md \
    | grep -q . || return 1
  awk -v heading="$1" 'index($0, heading) == 1 { on = 1; print; next } on && /^## / { exit } on { print }' docs/benchmarks.md
}

nginx_bin="$(command -v nginx || echo /usr/sbin/nginx)"
if [ -x "$nginx_bin" ]; then nginx_version="$("$nginx_bin" -v 2>&1 | head -1)"; else nginx_version="not installed on this machine"; fi
java_version="$(java -version 2>&1 | head -1)"
cpu="$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ //' || echo unknown)"
memory="$(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo 2>/dev/null || echo unknown)"
commit="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"

{
  cat <<EOF
# Benchmarks

Written by \`benchmarks/run.sh\`, last on $(date -u +%Y-%m-%d) (a **$mode** run of: $halves); do not edit by
hand — run the script again. Each section says when and how it was measured; a section that run
did not measure is kept from the run that did. Each candidate ran beside its baseline on the same
machine, alternating, with medians and spreads. The machine is shared and noisy: read the ratios,
not the absolute numbers.

| | |
|---|---|
| machine | $(nproc) cores ($cpu), $memory |
| Java | $java_version |
| nginx | $nginx_version |
| commit | \`$commit\` |
| command | \`benchmarks/run.sh${*:+ $*}\` |

Reproduce: \`benchmarks/run.sh\` (quick, about 15 minutes) or \`benchmarks/run.sh --full\` (about 45
minutes); \`--jmh-only\`, \`--load-only\`, \`--registry-only\` and \`--kubernetes-only\` run one part. Where a target is
missed, the tables say so, with what was measured.

EOF
  for half in jmh load registry kubernetes; do
    case "$half" in
      jmh) heading="## In-process (JMH)" ;;
      load) heading="## Load and fault scenarios (real HTTP over loopback)" ;;
      registry) heading="## The registry: 1,000 routers watching one deployment" ;;
      kubernetes) heading="## Kubernetes: 5,000 endpoints across 50 EndpointSlices" ;;
    esac
    if [ -f "$results/$half.md" ]; then
      cat "$results/$half.md"
      echo
    elif kept_section "$heading"; then
      :
    else
      echo "$heading"
      echo
      echo "Not measured yet (\`benchmarks/run.sh\` runs every part)."
      echo
    fi
  done
} > docs/benchmarks.md.new
mv docs/benchmarks.md.new docs/benchmarks.md

echo "== wrote docs/benchmarks.md and $charts/"

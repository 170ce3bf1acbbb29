#!/usr/bin/env bash
# Measures Backend Router against the baselines users would pick instead, and rewrites
# docs/benchmarks.md (tables) and docs/benchmarks/*.svg (charts) from what this run measured.
# Not part of `mvn verify`. Load goes to 127.0.0.1 only; every loop is bounded in count and time.
#
#   benchmarks/run.sh              quick run: about 10 minutes on 2 cores
#   benchmarks/run.sh --full       full run: more forks, iterations and rounds, about 35 minutes
#   benchmarks/run.sh --jmh-only   only the in-process JMH half (quick or --full)
#   benchmarks/run.sh --load-only  only the load and fault scenarios (quick or --full)
#
# The nginx baselines need nginx, the Redis scenario redis-server: they are installed from Debian's
# packages when missing (as root, or with sudo). Without them those runs are reported as not run,
# never estimated.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=quick
halves="jmh load"
for arg in "$@"; do
  case "$arg" in
    --quick) mode=quick ;;
    --full) mode=full ;;
    --jmh-only) halves="jmh" ;;
    --load-only) halves="load" ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $arg (see --help)" >&2; exit 2 ;;
  esac
done

results=benchmarks/target/results
charts=docs/benchmarks
mkdir -p "$results" "$charts"
rm -f "$results"/*.md

echo "== building (mvn -q -DskipTests -pl benchmarks -am package)"
mvn -q -DskipTests -pl benchmarks -am package
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
  esac
done

nginx_version="$( ("$(command -v nginx || echo /usr/sbin/nginx)" -v 2>&1 || echo "not installed") | head -1)"
java_version="$(java -version 2>&1 | head -1)"
cpu="$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ //' || echo unknown)"
memory="$(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo 2>/dev/null || echo unknown)"
commit="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"

{
  cat <<EOF
# Benchmarks

Written by \`benchmarks/run.sh\` on $(date -u +%Y-%m-%d) from one **$mode** run; do not edit by hand —
run the script again. Every figure below was measured in that run, each candidate beside its
baseline on the same machine, alternating, with medians and spreads. The machine is shared and
noisy: read the ratios, not the absolute numbers.

| | |
|---|---|
| machine | $(nproc) cores ($cpu), $memory |
| Java | $java_version |
| nginx | $nginx_version |
| commit | \`$commit\` |
| command | \`benchmarks/run.sh${*:+ $*}\` |

Reproduce: \`benchmarks/run.sh\` (quick, about 10 minutes) or \`benchmarks/run.sh --full\` (about 35
minutes); \`--jmh-only\` and \`--load-only\` run one half. Where a target is missed, the tables
say so, with what was measured.

EOF
  for half in jmh load; do
    if [ -f "$results/$half.md" ]; then
      cat "$results/$half.md"
      echo
    else
      case "$half" in
        jmh) echo "## In-process (JMH)" ;;
        load) echo "## Load and fault scenarios (real HTTP over loopback)" ;;
      esac
      echo
      echo "Not run in this run (\`benchmarks/run.sh\` without \`--jmh-only\` or \`--load-only\` runs both)."
      echo
    fi
  done
} > docs/benchmarks.md

echo "== wrote docs/benchmarks.md and $charts/"

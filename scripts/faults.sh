#!/usr/bin/env bash
# The fault suite (see README, "Faults at scale"): N generations across fal, Replicate and Oxen on
# one in-memory engine, R runtime replicas in JVMs of their own, a share of provider answers
# spoiled by the sandbox, K SIGKILLs of a replica at random moments. Prints the figures and fails
# when a generation is lost, ends otherwise than scripted, a Retry-After is not kept or a submit is
# duplicated outside the documented window.
#   scripts/faults.sh                                  # N=1000, 20 %, K=5, 2 replicas
#   scripts/faults.sh --n=100 --kills=1                # the size the default test run uses
#   scripts/faults.sh --n=1000 -- -Dmaven.repo.local=/path/to/m2   # anything after -- goes to Maven
# Options: --n --share --kills --replicas --seed --fail-share --job-duration=PT2S
#          --kill-window=PT60S --activation-timeout=PT35S --limit=PT15M
set -euo pipefail
cd "$(dirname "$0")/.."
source ./scripts/select-jdk.sh
props=(-Dfaults.n=1000 -Dfaults.share=0.2 -Dfaults.kills=5 -Dfaults.replicas=2 -Dfaults.killWindow=PT60S -Dfaults.limit=PT15M)
maven=()
while [ $# -gt 0 ]; do
  case "$1" in
    --) shift; maven+=("$@"); break ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    --n=*) props+=("-Dfaults.n=${1#*=}") ;;
    --share=*) props+=("-Dfaults.share=${1#*=}") ;;
    --kills=*) props+=("-Dfaults.kills=${1#*=}") ;;
    --replicas=*) props+=("-Dfaults.replicas=${1#*=}") ;;
    --seed=*) props+=("-Dfaults.seed=${1#*=}") ;;
    --fail-share=*) props+=("-Dfaults.failShare=${1#*=}") ;;
    --job-duration=*) props+=("-Dfaults.jobDuration=${1#*=}") ;;
    --kill-window=*) props+=("-Dfaults.killWindow=${1#*=}") ;;
    --activation-timeout=*) props+=("-Dfaults.activationTimeout=${1#*=}") ;;
    --limit=*) props+=("-Dfaults.limit=${1#*=}") ;;
    *) echo "faults.sh: unknown option $1 (see the header of this script)" >&2; exit 2 ;;
  esac
  shift
done
args=(-B -pl connector-runtime -am test -Dtest=FaultSuiteTest -Dsurefire.failIfNoSpecifiedTests=false "${props[@]}" "${maven[@]}")
./mvnw -o "${args[@]}"

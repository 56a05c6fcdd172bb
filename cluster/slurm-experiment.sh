#!/bin/bash
# Run an experiment's sweep as a SLURM job array, one shard of sweep points per task, on a shared
# run cache; then tabulate:
#
#   jid=$(sbatch --parsable --array=0-7 cluster/slurm-experiment.sh saturation-poses demo)
#   sbatch --dependency=afterok:$jid cluster/slurm-experiment.sh saturation-poses demo report
#
# Runs shared by several points are done once (the others wait on its lock); a requeued task resumes
# from the cache. HANDGAP_CACHE must be on a filesystem every node sees. HANDGAP as in slurm-render.sh.
#SBATCH --job-name=handgap-experiment
#SBATCH --cpus-per-task=2
#SBATCH --mem=8G
#SBATCH --time=24:00:00
#SBATCH --requeue
#SBATCH --output=handgap-experiment-%A_%a.log
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
[ -f "$here/bin/handgap.mjs" ] || here=${SLURM_SUBMIT_DIR:-$PWD}
handgap=${HANDGAP:-node $here/bin/handgap.mjs}
name=${1:?usage: slurm-experiment.sh <experiment> <scale> [report]}
scale=${2:?usage: slurm-experiment.sh <experiment> <scale> [report]}
if [ "${3:-}" = report ]; then exec $handgap experiment "$name" --scale "$scale" --report-only; fi
task=${SLURM_ARRAY_TASK_ID:?not an array task (submit with --array=0-K)}
count=${SLURM_ARRAY_TASK_COUNT:?SLURM_ARRAY_TASK_COUNT is not set}
exec $handgap experiment "$name" --scale "$scale" --shard "$task/$count"

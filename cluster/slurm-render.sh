#!/bin/bash
# Render a synthetic set as a SLURM job array, one shard per task, then merge the shards:
#
#   jid=$(sbatch --parsable --array=0-31 cluster/slurm-render.sh render)
#   sbatch --dependency=afterok:$jid cluster/slurm-render.sh merge
#
# Each task renders shard $SLURM_ARRAY_TASK_ID of $SLURM_ARRAY_TASK_COUNT into its own folder
# ($HANDGAP_OUT/shards/<id>: node-local or shared disks both work); `merge` joins them into
# $HANDGAP_OUT/set. A requeued or re-submitted task resumes its shard (finished samples are kept).
# Settings (environment, exported by sbatch): HANDGAP_OUT (required), HANDGAP_CONFIG (render config
# JSON; default: the built-in defaults), HANDGAP_N, HANDGAP_WORKERS (default 1), HANDGAP_THREADS
# (default: $SLURM_CPUS_PER_TASK), HANDGAP (the command: default `node <checkout>/bin/handgap.mjs`;
# with the container: HANDGAP="apptainer run handgap.sif").
#SBATCH --job-name=handgap-render
#SBATCH --cpus-per-task=4
#SBATCH --mem=8G
#SBATCH --time=12:00:00
#SBATCH --requeue
#SBATCH --output=handgap-render-%A_%a.log
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# under sbatch the script runs from a spool copy: SLURM_SUBMIT_DIR is the checkout
[ -f "$here/bin/handgap.mjs" ] || here=${SLURM_SUBMIT_DIR:-$PWD}
handgap=${HANDGAP:-node $here/bin/handgap.mjs}
out=${HANDGAP_OUT:?set HANDGAP_OUT to the output folder}
mode=${1:-render}
config_args=(); [ -n "${HANDGAP_CONFIG:-}" ] && config_args=(--config "$HANDGAP_CONFIG")
n_args=(); [ -n "${HANDGAP_N:-}" ] && n_args=(--n "$HANDGAP_N")

case "$mode" in
  render)
    task=${SLURM_ARRAY_TASK_ID:?not an array task (submit with --array=0-K)}
    count=${SLURM_ARRAY_TASK_COUNT:?SLURM_ARRAY_TASK_COUNT is not set}
    # --array=a-b with a > 0 (or steps) would leave shards out: the ids must be 0..count-1
    if [ "$task" -ge "$count" ]; then echo "slurm-render: task id $task >= task count $count; submit with --array=0-$((count - 1))" >&2; exit 2; fi
    $handgap render "${config_args[@]}" "${n_args[@]}" --out "$out/shards/$task" --shard "$task/$count" \
      --workers "${HANDGAP_WORKERS:-1}" --threads "${HANDGAP_THREADS:-${SLURM_CPUS_PER_TASK:-0}}"
    ;;
  merge)
    shopt -s nullglob
    shards=("$out"/shards/*/)
    [ ${#shards[@]} -gt 0 ] || { echo "slurm-render: no shard folders in $out/shards" >&2; exit 2; }
    $handgap render merge "${n_args[@]}" --out "$out/set" "${shards[@]}"
    ;;
  *) echo "usage: slurm-render.sh render|merge" >&2; exit 2 ;;
esac

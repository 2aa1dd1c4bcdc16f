#!/usr/bin/env bash
# Stops the one-node Slurm cluster .ci/slurm-up.sh started (slurmd, slurmctld, munged, by their pid files);
# a scheduler it found running is left alone.
set -uo pipefail
state=${VERIFY_SLURM_STATE:-/tmp/verify-slurm}
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
if [ ! -f "$state/started" ]; then echo "slurm-down: .ci/slurm-up.sh started nothing; nothing to stop"; exit 0; fi
# SIGTERM to all three at once, then wait up to 5 s for each (each takes 1-2 s to shut down).
pids=""
for f in /run/slurmd.pid /run/slurmctld.pid /run/munge/munged.pid; do
  pid=$(cat "$f" 2>/dev/null) || continue
  [ -n "$pid" ] && $SUDO kill "$pid" 2>/dev/null && pids="$pids $pid"
done
for pid in $pids; do
  for _ in $(seq 1 50); do $SUDO kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if $SUDO kill -0 "$pid" 2>/dev/null; then $SUDO kill -9 "$pid" 2>/dev/null; echo "slurm-down: $pid did not stop in 5 s; killed" >&2; fi
done
rm -f "${VERIFY_SLURM_MARKER:-$state/up}" "$state/started"
echo "slurm-down: stopped"

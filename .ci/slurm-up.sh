#!/usr/bin/env bash
# Brings up a one-node Slurm cluster on this machine for the live-scheduler test
# (tests/Verification.Tests/Cluster/SlurmIntegrationTests.cs): installs Debian's slurm-wlm and munge when
# missing, writes /etc/slurm/slurm.conf for this host (no cgroups: proctrack/linuxproc, task/none),
# starts munged, slurmctld and slurmd (as root, no systemd), and waits until sinfo shows the node idle.
#
# On success it writes the marker file $VERIFY_SLURM_MARKER (default /tmp/verify-slurm/up) with "up";
# on failure it writes the reason there instead (first line "down: <reason>") and exits 1. The test reads
# the marker only to print the reason when it skips; it decides by asking sinfo itself.
# .ci/slurm-down.sh stops what this started. A scheduler already running here is used and left alone, and an
# /etc/slurm/slurm.conf this script did not write is never overwritten.
set -uo pipefail

state=${VERIFY_SLURM_STATE:-/tmp/verify-slurm}
marker=${VERIFY_SLURM_MARKER:-$state/up}
mkdir -p "$state"
rm -f "$state/skipped"   # written by the test when it skips
fail() { echo "down: $*" > "$marker"; echo "slurm-up: $*" >&2; exit 1; }
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive

need=""
command -v sbatch >/dev/null 2>&1 && command -v slurmctld >/dev/null 2>&1 && command -v slurmd >/dev/null 2>&1 || need="$need slurm-wlm"
command -v munged >/dev/null 2>&1 || need="$need munge"
if [ -n "$need" ]; then
  echo "slurm-up: installing$need"
  { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq $need >/dev/null; } || fail "could not install$need with apt-get"
fi

# A configuration this script did not write (a developer's machine, a cluster node) is never overwritten:
# when its scheduler answers, it is used as it is (nothing written or started, slurm-down.sh stops nothing).
if [ -f /etc/slurm/slurm.conf ] && ! head -n 1 /etc/slurm/slurm.conf | grep -q 'Written by .ci/slurm-up.sh'; then
  if timeout 20 sinfo -h -o '%T' 2>/dev/null | grep -Eq '^(idle|mixed|allocated)'; then
    echo "up (the scheduler of an existing /etc/slurm/slurm.conf)" > "$marker"
    echo "slurm-up: /etc/slurm/slurm.conf exists and its scheduler answers; using it"
    exit 0
  fi
  fail "/etc/slurm/slurm.conf exists, was not written by .ci/slurm-up.sh (left alone) and its scheduler does not answer"
fi

host=$(hostname -s 2>/dev/null || hostname)
cpus=$(nproc)
getent hosts "$host" >/dev/null 2>&1 || fail "host name '$host' does not resolve (slurmctld needs it in /etc/hosts)"

# The node's memory in MB (slurmd refuses to register a node that claims more than it has).
mem=$(awk '/MemTotal/ {print int($2/1024*0.9)}' /proc/meminfo)

$SUDO mkdir -p /etc/slurm /var/spool/slurmctld /var/spool/slurmd /var/log/slurm /run/munge
conf=$(cat <<EOF
# Written by .ci/slurm-up.sh: a one-node cluster for Verify's live-scheduler test.
ClusterName=verify-ci
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=/var/log/slurm/jobcomp.log
MpiDefault=none
ReturnToService=2
MinJobAge=600
SlurmdTimeout=60
NodeName=$host CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
)
echo "$conf" | $SUDO tee /etc/slurm/slurm.conf >/dev/null

# munge: a key (the package makes one; make it if missing), then the daemon as the munge user.
if [ ! -s /etc/munge/munge.key ]; then
  $SUDO mungekey --create --force >/dev/null 2>&1 || $SUDO dd if=/dev/urandom of=/etc/munge/munge.key bs=1 count=1024 2>/dev/null
fi
if id munge >/dev/null 2>&1; then
  $SUDO chown munge:munge /etc/munge/munge.key /run/munge; $SUDO chmod 400 /etc/munge/munge.key
  $SUDO mkdir -p /var/lib/munge /var/log/munge; $SUDO chown munge:munge /var/lib/munge /var/log/munge
fi
touch "$state/started"   # from here on, slurm-down.sh stops what runs
if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
  if id munge >/dev/null 2>&1; then
    $SUDO runuser -u munge -- /usr/sbin/munged >"$state/munged.out" 2>&1 || $SUDO /usr/sbin/munged --force >>"$state/munged.out" 2>&1
  else
    $SUDO /usr/sbin/munged --force >"$state/munged.out" 2>&1
  fi
  for _ in $(seq 1 20); do munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && break; sleep 0.5; done
  munge -n 2>/dev/null | unmunge >/dev/null 2>&1 || fail "munged did not start: $(tail -n 3 "$state/munged.out" 2>/dev/null | tr '\n' ' ')"
fi

# slurmctld and slurmd: started here unless they already answer (a second call is harmless).
if ! scontrol ping 2>/dev/null | grep -q ' is UP'; then
  pgrep -x slurmctld >/dev/null && $SUDO kill "$(pgrep -x slurmctld)" 2>/dev/null && sleep 1
  $SUDO /usr/sbin/slurmctld || fail "slurmctld did not start: $(tail -n 3 /var/log/slurm/slurmctld.log 2>/dev/null | tr '\n' ' ')"
fi
pgrep -x slurmd >/dev/null || $SUDO /usr/sbin/slurmd || fail "slurmd did not start: $(tail -n 3 /var/log/slurm/slurmd.log 2>/dev/null | tr '\n' ' ')"

# Wait (bounded) until the node is idle or mixed/allocated (jobs of an earlier call still running).
for _ in $(seq 1 60); do
  st=$(sinfo -h -N -n "$host" -o '%T' 2>/dev/null | head -n 1)
  case "$st" in idle|idle\*|mixed|allocated) break ;; esac
  [ "$st" = "down" ] || [ "$st" = "drained" ] && $SUDO scontrol update nodename="$host" state=resume >/dev/null 2>&1
  sleep 0.5
done
case "$st" in
  idle|mixed|allocated) ;;
  *) fail "node $host is '${st:-not answering}' in sinfo after 30 s: $(tail -n 2 /var/log/slurm/slurmd.log 2>/dev/null | tr '\n' ' ')" ;;
esac
echo "up" > "$marker"
echo "slurm-up: one-node cluster up ($host, $cpus CPUs, partition debug); sinfo says $st"

#!/bin/sh
# Install what the opt-in SLURM test (tests/cluster, METAREVIEW_TEST_SLURM=1) needs from
# Debian: MUNGE and SLURM's controller, node daemon and client commands (SLURM 22.05 on
# bookworm). Idempotent: does nothing when all are installed. The test itself installs
# nothing and configures everything in a scratch folder (plus /etc/slurm/slurm.conf,
# removed again); the Python side is the `slurm` extra: pip install -e ".[slurm]".
set -eu

PACKAGES="munge slurmctld slurmd slurm-client"

missing=""
for pkg in $PACKAGES; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $pkg"
    fi
done
if [ -z "$missing" ]; then
    echo "slurm-setup: already installed:$(printf ' %s' $PACKAGES)"
    exit 0
fi

as_root=""
if [ "$(id -u)" -ne 0 ]; then
    as_root="sudo"
fi
echo "slurm-setup: installing$missing"
# No debconf prompts. Where systemd runs, the packages start the system munged (the test
# uses its own on a private socket) and try slurmctld/slurmd, which stay down without a
# configuration; the test refuses to run beside SLURM daemons it did not start.
export DEBIAN_FRONTEND=noninteractive
$as_root apt-get update -qq
# shellcheck disable=SC2086  # word splitting of the package list is intended
$as_root apt-get install -y -qq --no-install-recommends $missing

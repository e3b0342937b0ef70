#!/usr/bin/env bash
# Adds the vmconfig plugin to an existing Velero installation and creates the vm-restore ConfigMap.
# Usage: deploy/velero/install.sh REGISTRY/vmconfig-velero-plugin:TAG [VELERO_NAMESPACE]
set -euo pipefail
image=$1
ns=${2:-velero}
velero plugin add "$image" --namespace "$ns"
sed "s/namespace: velero/namespace: $ns/" "$(dirname "$0")/plugin-configmap.yaml" | kubectl apply -f -
# A config-only backup: the Backup (or the Schedule's template) carries the label.
cat <<EXAMPLE
Config-only backups:
  velero backup create vms-config --include-resources virtualmachines.kubevirt.io --labels vmconfig.io/config-only=true
  kubectl apply -f deploy/velero/schedule-config-only.yaml   (labels set through spec.template.metadata)
EXAMPLE

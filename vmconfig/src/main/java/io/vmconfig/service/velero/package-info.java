/**
 * The Velero plugin's use cases between its gRPC services and the adapters: vm-backup's staging of a captured VM
 * into the repository its Backup names (plugin ConfigMap, else the BackupStorageLocation).
 */
package io.vmconfig.service.velero;

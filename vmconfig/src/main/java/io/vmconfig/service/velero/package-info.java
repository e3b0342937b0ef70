/**
 * The Velero plugin's use cases between its gRPC services and the adapters: vm-backup's staging of a captured VM
 * into the repository its Backup names (plugin ConfigMap, else the BackupStorageLocation), and {@code seal}, which
 * turns the staged runs into signed sets by their Backup's phase (SealService).
 */
package io.vmconfig.service.velero;

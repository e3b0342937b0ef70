/**
 * Velero's plugin gRPC services (PluginLister, BackupItemAction v2, RestoreItemAction v2): message translation,
 * dispatch by plugin name and error statuses. The decisions are made in {@code io.vmconfig.core.velero}.
 */
package io.vmconfig.adapters.velero;

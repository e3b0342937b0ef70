/**
 * What the Velero plugin does with an item, free of gRPC, protobuf and Kubernetes clients: which plugins this
 * executable serves, when a Backup asks for config-only mode, and what vm-backup, vm-restore and volume-restore
 * answer for one item. The adapters translate wire messages to and from these types.
 */
package io.vmconfig.core.velero;

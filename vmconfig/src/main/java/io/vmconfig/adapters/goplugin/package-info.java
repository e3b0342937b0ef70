/**
 * Hosting a gRPC plugin the way hashicorp/go-plugin expects it (as Velero configures go-plugin): magic cookie,
 * protocol version, loopback port range, the handshake line on stdout, GRPCController/Shutdown, health, and logging
 * as JSON lines on stderr. Knows nothing of Velero's item actions.
 */
package io.vmconfig.adapters.goplugin;

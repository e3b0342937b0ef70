/**
 * The pure core of vmconfig: VM transforms over JSON trees, volume mapping, pre-flight verdicts, and (later) the
 * repository format and sync planning. Nothing here may touch S3, Kubernetes, gRPC or the command line; adapters
 * translate to and from these types. An ArchUnit test keeps it so.
 */
package io.vmconfig.core;

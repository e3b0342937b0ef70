/** Kubernetes API access through fabric8: credentials from the pod's service account, or kubeconfig in tests. */
package io.vmconfig.adapters.kube;

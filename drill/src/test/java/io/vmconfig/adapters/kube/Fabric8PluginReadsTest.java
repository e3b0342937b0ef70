package io.vmconfig.adapters.kube;

/** {@link PluginBatchReadContract} on fabric8's client alone (VMCONFIG_PLUGIN_READS=fabric8). */
class Fabric8PluginReadsTest extends PluginBatchReadContract {
    @Override
    boolean ownReads() {
        return false;
    }
}

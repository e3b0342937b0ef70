package io.vmconfig.core.sync;

import io.vmconfig.core.batch.VmResult;
import io.vmconfig.core.repo.Entry;
import java.util.List;

/**
 * One set as sync sees it: its entries, the DR restore result of each VM whose bundle passed its checks
 * ({@code RestoreBatch} on the bundles' objects), and a failed result for each that did not.
 */
public record SyncInput(String setId, String sourceCluster, List<Entry> entries, List<VmResult> results) {
    public SyncInput {
        entries = List.copyOf(entries);
        results = List.copyOf(results);
    }
}

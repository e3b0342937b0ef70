package io.vmconfig.core.batch;

import java.util.List;

/**
 * An input of many objects that is read a part at a time (a file of kubectl output, or everything a cluster listing
 * returned as one part), so that a batch over 100,000 VMs never holds every object at once. A part can be read
 * again: {@link ExportStream} reads each part once to index it, once to export its VMs, and reads another part again
 * only to fetch a dependency that lies there.
 */
public interface ObjectSource {
    /** How many parts the input has. */
    int parts();

    /** The objects of part {@code i} (0 ≤ i < {@link #parts()}), in input order. */
    List<SourcedObject> read(int i);

    /** An input already in memory, as one part. */
    static ObjectSource of(List<SourcedObject> objects) {
        List<SourcedObject> copy = List.copyOf(objects);
        return new ObjectSource() {
            @Override
            public int parts() {
                return 1;
            }

            @Override
            public List<SourcedObject> read(int i) {
                return copy;
            }
        };
    }
}

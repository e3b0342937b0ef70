package io.vmconfig.core.batch;

import io.vmconfig.core.template.HarvesterTemplate;
import java.util.ArrayList;
import java.util.List;

/**
 * Import input may hold Harvester templates as well as exported VMs: each template version becomes the VM it
 * describes, so that one restore path (VolumeMap, pre-flight, identity) serves both.
 */
public final class TemplateExpansion {
    private TemplateExpansion() {}

    public static List<SourcedObject> expand(List<SourcedObject> objects) {
        List<SourcedObject> out = new ArrayList<>();
        for (SourcedObject o : objects) {
            if (HarvesterTemplate.VERSION.equals(o.kind())) {
                out.add(new SourcedObject(o.origin(), HarvesterTemplate.instantiate(o.object(), o.origin())));
            } else if (!HarvesterTemplate.TEMPLATE.equals(o.kind())) {
                out.add(o);
            }
        }
        return out;
    }
}

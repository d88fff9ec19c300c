package org.imapra.core;

import java.util.List;
import org.imapra.api.admin.LiveStatus;

/** The adapter's inbound activations, as the rest of the adapter sees them. */
public interface Activations extends DefinitionLifecycle.Listener {

    /** None: before the resource adapter attaches its own. */
    Activations NONE = new Activations() {
        @Override
        public void definitionChanged(String name) {
            // no activation to restart
        }

        @Override
        public List<LiveStatus.Activation> statuses(String definitionName) {
            return List.of();
        }

        @Override
        public void deactivateAll() {
            // nothing active
        }
    };

    /** Live status of the activations on the named definition. */
    List<LiveStatus.Activation> statuses(String definitionName);

    /** Stops every activation (resource adapter stop). */
    void deactivateAll();
}

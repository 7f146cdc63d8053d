package org.myoflow.infra.cli;

import java.io.IOException;
import org.myoflow.model.registry.ModelManifest;
import org.myoflow.model.registry.ModelRegistry;

/** Test versions in a registry: the bundled v1's weights and manifest under another name and training data. */
final class ModelCopies {
    private ModelCopies() {
    }

    static void register(ModelRegistry registry, String version, ModelManifest.TrainingData data) throws IOException {
        String bundled = registry.productionOrBundled();
        ModelManifest m = registry.manifest(bundled);
        registry.register(new ModelManifest(m.schemaVersion(), version, m.architecture(), m.preprocessing(),
                m.postprocessing(), m.training(), data, m.bestEpoch(), m.validationDice(), m.heldOut(), m.engine(),
                m.createdAt(), m.reproduce(), m.notes()), registry.folder(bundled));
    }
}

package org.myoflow.infra.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.myoflow.model.inference.SegmentationPipeline;
import org.myoflow.model.postprocess.PostprocessConfig;
import org.myoflow.model.postprocess.Postprocessor;
import org.myoflow.model.preprocess.PreprocessConfig;
import org.myoflow.model.preprocess.Preprocessor;
import org.myoflow.model.registry.ModelManifest;
import org.myoflow.model.registry.ModelRegistry;
import org.myoflow.model.segment.MyocardiumSegmenter;
import org.myoflow.model.segment.ThresholdShellSegmenter;

/** "classical", "production" or a registry version, as a ready pipeline with its own pre/postprocessing. */
final class SegmenterChoice implements AutoCloseable {
    final String label;
    final SegmentationPipeline pipeline;
    private final AutoCloseable resource;

    private SegmenterChoice(String label, SegmentationPipeline pipeline, AutoCloseable resource) {
        this.label = label;
        this.pipeline = pipeline;
        this.resource = resource;
    }

    static SegmenterChoice open(String choice, Path home, int threads) throws IOException {
        if (choice.equals("classical")) {
            return new SegmenterChoice("classical", new SegmentationPipeline(
                    new Preprocessor(PreprocessConfig.defaults()), ThresholdShellSegmenter.defaults(),
                    new Postprocessor(PostprocessConfig.defaults())), null);
        }
        ModelRegistry registry = new ModelRegistry(home);
        String version = choice.equals("production") ? registry.productionOrBundled() : choice;
        ModelManifest m = registry.manifest(version);
        var segmenter = registry.load(version, threads);
        return new SegmenterChoice("unet " + version, new SegmentationPipeline(new Preprocessor(m.preprocessing()),
                segmenter, new Postprocessor(m.postprocessing()), registry.calibration(version).orElse(null)),
                segmenter);
    }

    /** A model's network and clean-up, without a volume calibration (one is fitted after training). */
    static SegmentationPipeline pipeline(ModelManifest m, MyocardiumSegmenter segmenter) {
        return new SegmentationPipeline(new Preprocessor(m.preprocessing()), segmenter,
                new Postprocessor(m.postprocessing()));
    }

    @Override
    public void close() throws Exception {
        if (resource != null) {
            resource.close();
        }
    }
}

package org.myoflow.workers;

import io.temporal.activity.Activity;
import org.myoflow.model.inference.UNetSegmenter;
import org.myoflow.model.io.Nifti;
import org.myoflow.model.io.NiftiDataType;
import org.myoflow.model.network.DjlRuntime;
import org.myoflow.model.registry.ModelRegistry;
import org.myoflow.model.volume.Volume;
import org.myoflow.workflows.segmentation.GpuActivities;
import org.myoflow.workflows.segmentation.NetworkOutput;
import org.myoflow.workflows.segmentation.PreparedInput;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The network. Each model version is loaded once and kept; DJL picks CUDA when it finds a GPU, else the CPU, and the
 * output names the device. One inference at a time per worker (the engine's threads are already all cores).
 */
public final class GpuActivitiesImpl implements GpuActivities, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GpuActivitiesImpl.class);

    private final Path root;
    private final ModelRegistry registry;
    private final int threads;
    private final Map<String, UNetSegmenter> loaded = new HashMap<>();

    public GpuActivitiesImpl(Path storageRoot, int threads) {
        this.root = storageRoot;
        this.registry = new ModelRegistry(storageRoot);
        this.threads = threads;
    }

    /** Loads a version now (at worker start, so the first study does not pay for it). */
    public synchronized void preload(String version) throws IOException {
        segmenter(version);
    }

    private synchronized UNetSegmenter segmenter(String version) throws IOException {
        UNetSegmenter s = loaded.get(version);
        if (s == null) {
            long t0 = System.nanoTime();
            s = registry.load(version, threads);
            loaded.put(version, s);
            log.info("event=model_loaded version={} engine=\"{}\" ms={}", version, s.engine(),
                    (System.nanoTime() - t0) / 1_000_000);
        }
        return s;
    }

    @Override
    public synchronized NetworkOutput segment(PreparedInput input, String modelVersion) {
        try {
            UNetSegmenter s = segmenter(modelVersion);
            Volume x = Nifti.readVolume(root.resolve(input.inputPath()));
            heartbeat("inference");
            long t0 = System.nanoTime();
            Volume p = s.probabilities(x);
            double ms = (System.nanoTime() - t0) / 1e6;
            String path = input.workDir() + "/probabilities-network.nii.gz";
            Nifti.write(root.resolve(path), p, NiftiDataType.FLOAT32);
            String device = DjlRuntime.device().toString();
            log.info("event=segmented series={} model={} device={} ms={}", input.seriesInstanceUid(), modelVersion,
                    device, String.format("%.0f", ms));
            return new NetworkOutput(path, modelVersion, s.engine(), device, ms);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void heartbeat(String detail) {
        try {
            Activity.getExecutionContext().heartbeat(detail);
        } catch (IllegalStateException e) {
            // called outside an activity (tests, benchmarks): nothing to report to
        }
    }

    @Override
    public synchronized void close() {
        loaded.values().forEach(UNetSegmenter::close);
        loaded.clear();
    }
}

package org.myoflow.model.postprocess;

import org.myoflow.model.image.ConnectedComponents;
import org.myoflow.model.image.GaussianFilter;
import org.myoflow.model.image.Morphology;
import org.myoflow.model.volume.BinaryMask;
import org.myoflow.model.volume.Volume;

/** Turns a probability map into a clean myocardium mask (see {@link PostprocessConfig} for the steps). */
public final class Postprocessor {
    private final PostprocessConfig config;

    public Postprocessor(PostprocessConfig config) {
        this.config = config;
    }

    public PostprocessConfig config() {
        return config;
    }

    public BinaryMask apply(Volume probabilities) {
        return clean(probabilities.threshold((float) config.threshold()));
    }

    /** The chain after the threshold, on a mask. */
    public BinaryMask clean(BinaryMask mask) {
        BinaryMask m = mask;
        if (config.minObjectVoxels() > 0) {
            m = removeSmallObjects(m, config.minObjectVoxels());
        }
        if (config.largestComponent()) {
            m = largestComponent(m);
        }
        if (config.fillHoles()) {
            m = Morphology.fillHoles(m);
        }
        if (config.closingRadius() > 0) {
            m = Morphology.close(m, config.closingRadius());
        }
        if (config.medianRadius() > 0) {
            m = Morphology.median(m, config.medianRadius());
        }
        if (config.smoothingSigma() > 0) {
            double s = config.smoothingSigma();
            m = GaussianFilter.smoothVoxels(m.toVolume(), s, s, s).threshold(0.5f);
        }
        return m;
    }

    public static BinaryMask removeSmallObjects(BinaryMask mask, int minVoxels) {
        ConnectedComponents cc = ConnectedComponents.label(mask, ConnectedComponents.FULL);
        int[] labels = cc.labels();
        boolean[] out = new boolean[labels.length];
        for (int i = 0; i < labels.length; i++) {
            out[i] = labels[i] != 0 && cc.size(labels[i]) >= minVoxels;
        }
        return new BinaryMask(mask.grid(), out);
    }

    public static BinaryMask largestComponent(BinaryMask mask) {
        ConnectedComponents cc = ConnectedComponents.label(mask, ConnectedComponents.FULL);
        return cc.count() == 0 ? mask.copy() : cc.component(cc.largest());
    }
}

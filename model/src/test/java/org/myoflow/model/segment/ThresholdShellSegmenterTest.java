package org.myoflow.model.segment;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.myoflow.model.metrics.Metrics;
import org.myoflow.model.phantom.PhantomCase;
import org.myoflow.model.phantom.PhantomOptions;
import org.myoflow.model.phantom.SpectPhantom;
import org.myoflow.model.preprocess.PreprocessConfig;
import org.myoflow.model.preprocess.Preprocessor;
import org.myoflow.model.volume.BinaryMask;
import org.myoflow.model.volume.Volume;

/** The baseline is a real method: it finds the heart on phantoms it was not tuned on. */
class ThresholdShellSegmenterTest {

    private static double dice(PhantomCase c) {
        Preprocessor.Preprocessed p = new Preprocessor(PreprocessConfig.defaults()).apply(c.image());
        Volume prob = ThresholdShellSegmenter.defaults().probabilities(p.input());
        BinaryMask mask = Preprocessor.probabilitiesToOriginal(prob, p.record()).threshold(0.5f);
        return Metrics.compare(mask, c.myocardium()).dice();
    }

    @Test
    void segmentsNormalStudies() {
        double sum = 0;
        for (long seed = 900; seed < 904; seed++) {
            double d = dice(SpectPhantom.generate("n", seed, PhantomOptions.normal()));
            assertTrue(d > 0.65, "seed " + seed + " dice " + d);
            sum += d;
        }
        assertTrue(sum / 4 > 0.75, "mean dice " + sum / 4);
    }

    @Test
    void findsTheHeartNextToAHotLiver() {
        int found = 0;
        for (long seed = 910; seed < 916; seed++) {
            if (dice(SpectPhantom.generate("h", seed, PhantomOptions.challenging(1))) > 0.5) {
                found++;
            }
        }
        assertTrue(found >= 4, "heart found in " + found + " of 6 hot-liver studies");
    }
}

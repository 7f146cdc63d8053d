package org.myoflow.model.training;

import org.myoflow.model.preprocess.Preprocessor;
import org.myoflow.model.volume.BinaryMask;
import org.myoflow.model.volume.Volume;

/**
 * One case on the network grid: the preprocessed input and its label, as the trainer consumes them.
 *
 * @param shape (nx, ny, nz) of the network grid; arrays are x fastest
 */
public record TrainingCase(String id, float[] image, boolean[] mask, int[] shape) {

    /** Preprocesses {@code image} and brings {@code label} onto the same network grid. */
    public static TrainingCase from(String id, Volume image, BinaryMask label, Preprocessor preprocessor) {
        Preprocessor.Preprocessed p = preprocessor.apply(image);
        BinaryMask target = Preprocessor.maskToTarget(label, p.record());
        return new TrainingCase(id, p.input().data(), target.data(), p.input().grid().dims());
    }
}

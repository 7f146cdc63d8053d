package org.myoflow.model.dataset;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Opens a dataset folder in whichever supported layout it has. */
public final class Datasets {
    private Datasets() {
    }

    public static List<LabelledCase> open(Path root) throws IOException {
        if (MpiSpectDataset.looksLike(root)) {
            return MpiSpectDataset.open(root);
        }
        if (DecathlonDataset.looksLike(root)) {
            return DecathlonDataset.open(root);
        }
        throw new DatasetFormatException(root + ": neither MPI-SPECT (NIfTI/<id>.nii.gz + <id>_mask.nii.gz) nor "
                + "Decathlon (imagesTr/, labelsTr/, dataset.json) layout");
    }
}

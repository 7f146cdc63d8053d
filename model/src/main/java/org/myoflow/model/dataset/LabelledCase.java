package org.myoflow.model.dataset;

import java.io.IOException;
import java.nio.file.Path;
import org.myoflow.model.io.Nifti;
import org.myoflow.model.volume.BinaryMask;
import org.myoflow.model.volume.Volume;

/** One image with its label file in a dataset. */
public record LabelledCase(String id, Path image, Path label) {

    /** Reads both files; the label must lie on the image's grid. */
    public Loaded load() throws IOException {
        Volume img = Nifti.readVolume(image);
        BinaryMask mask = Nifti.readMask(label);
        if (!img.grid().sameShape(mask.grid())) {
            throw new DatasetFormatException("case " + id + ": image " + img.grid().shapeString() + " and label "
                    + mask.grid().shapeString() + " differ in shape (" + image + ", " + label + ")");
        }
        if (img.grid().affine().maxAbsDifference(mask.grid().affine()) > 1e-3) {
            throw new DatasetFormatException("case " + id + ": image and label affines differ (" + image + ")");
        }
        return new Loaded(id, img, new BinaryMask(img.grid(), mask.data()));
    }

    /** The voxels of a case, label on the image grid. */
    public record Loaded(String id, Volume image, BinaryMask label) {
    }
}

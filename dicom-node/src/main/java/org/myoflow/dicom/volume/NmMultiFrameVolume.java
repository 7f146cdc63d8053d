package org.myoflow.dicom.volume;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;
import org.myoflow.model.volume.Grid;
import org.myoflow.model.volume.Volume;

/**
 * An NM multi-frame RECON TOMO instance as a volume: geometry from the Detector Information Sequence (Image
 * Position/Orientation (Patient)), Pixel Spacing and Spacing Between Slices; frames stacked along the slice normal.
 */
public final class NmMultiFrameVolume {
    private NmMultiFrameVolume() {
    }

    public static Volume read(AttributeList l) throws SeriesVolumeException, DicomException {
        String type = Attribute.getDelimitedStringValuesOrEmptyString(l, TagFromName.ImageType);
        if (!type.contains("RECON")) {
            throw new SeriesVolumeException("NM image type " + type + " is not a reconstruction (RECON TOMO expected)");
        }
        int rows = Attribute.getSingleIntegerValueOrDefault(l, TagFromName.Rows, 0);
        int cols = Attribute.getSingleIntegerValueOrDefault(l, TagFromName.Columns, 0);
        int frames = Attribute.getSingleIntegerValueOrDefault(l, TagFromName.NumberOfFrames, 1);
        double[] spacing = FiniteValues.requireSpacing(Attribute.getDoubleValues(l, TagFromName.PixelSpacing),
                "Pixel Spacing");
        double between = FiniteValues.require(Attribute.getSingleDoubleValueOrDefault(l,
                TagFromName.SpacingBetweenSlices, Attribute.getSingleDoubleValueOrDefault(l, TagFromName.SliceThickness,
                        0)), "Spacing Between Slices");
        SequenceAttribute det = (SequenceAttribute) l.get(org.myoflow.dicom.NmTags.DETECTOR_INFORMATION_SEQUENCE);
        if (rows < 1 || cols < 1 || spacing == null || spacing.length != 2 || between <= 0 || det == null
                || det.getNumberOfItems() < 1) {
            throw new SeriesVolumeException("NM multi-frame lacks geometry: rows/columns, Pixel Spacing, Spacing "
                    + "Between Slices or the Detector Information Sequence");
        }
        AttributeList d = det.getItem(0).getAttributeList();
        double[] ipp = FiniteValues.require(Attribute.getDoubleValues(d, TagFromName.ImagePositionPatient),
                "Image Position (Patient)");
        double[] iop = FiniteValues.require(Attribute.getDoubleValues(d, TagFromName.ImageOrientationPatient),
                "Image Orientation (Patient)");
        if (ipp == null || ipp.length != 3 || iop == null || iop.length != 6) {
            throw new SeriesVolumeException("NM Detector Information Sequence lacks Image Position/Orientation");
        }
        DicomGeometry geo = new DicomGeometry(new double[] {iop[0], iop[1], iop[2]},
                new double[] {iop[3], iop[4], iop[5]}, spacing[0], spacing[1], between, ipp, false);
        Grid grid = geo.toGrid(cols, rows, frames);
        return new Volume(grid, PixelValues.read(l, cols * rows * frames));
    }
}

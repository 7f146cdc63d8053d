package org.myoflow.dicom;

import static org.myoflow.dicom.Attrs.put;
import static org.myoflow.dicom.Attrs.sequence;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.TagFromName;
import org.myoflow.dicom.volume.DicomGeometry;

/** Functional group macros shared by the multi-frame objects we write (enhanced MR, SEG). */
public final class FunctionalGroups {
    private FunctionalGroups() {
    }

    /** Pixel Measures and Plane Orientation of a regular grid, into the Shared Functional Groups item. */
    public static void planeGeometry(AttributeList shared, DicomGeometry geo) throws DicomException {
        AttributeList measures = new AttributeList();
        put(measures, TagFromName.PixelSpacing, geo.rowSpacing(), geo.columnSpacing());
        put(measures, TagFromName.SliceThickness, geo.sliceSpacing());
        put(measures, TagFromName.SpacingBetweenSlices, geo.sliceSpacing());
        sequence(shared, TagFromName.PixelMeasuresSequence, measures);
        AttributeList orientation = new AttributeList();
        put(orientation, TagFromName.ImageOrientationPatient, geo.orientation());
        sequence(shared, TagFromName.PlaneOrientationSequence, orientation);
    }
}

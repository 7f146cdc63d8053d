package org.myoflow.dicom.volume;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.TagFromName;

/** Stored pixel values to floats: 8 or 16 bits, signed or not, Rescale Slope/Intercept applied when present. */
final class PixelValues {
    private PixelValues() {
    }

    static float[] read(AttributeList l, int expected) throws SeriesVolumeException, DicomException {
        Attribute pd = l.get(TagFromName.PixelData);
        if (pd == null) {
            throw new SeriesVolumeException("no Pixel Data");
        }
        int bits = Attribute.getSingleIntegerValueOrDefault(l, TagFromName.BitsAllocated, 16);
        boolean signed = Attribute.getSingleIntegerValueOrDefault(l, TagFromName.PixelRepresentation, 0) == 1;
        double slope = FiniteValues.require(Attribute.getSingleDoubleValueOrDefault(l, TagFromName.RescaleSlope, 1),
                "Rescale Slope");
        double intercept = FiniteValues.require(Attribute.getSingleDoubleValueOrDefault(l,
                TagFromName.RescaleIntercept, 0), "Rescale Intercept");
        float[] out = new float[expected];
        if (bits == 16) {
            short[] s = pd.getShortValues();
            requireLength(s.length, expected);
            for (int i = 0; i < expected; i++) {
                out[i] = (float) ((signed ? s[i] : s[i] & 0xffff) * slope + intercept);
            }
        } else if (bits == 8) {
            byte[] b = pd.getByteValues();
            requireLength(b.length, expected);
            for (int i = 0; i < expected; i++) {
                out[i] = (float) ((signed ? b[i] : b[i] & 0xff) * slope + intercept);
            }
        } else {
            throw new SeriesVolumeException("Bits Allocated " + bits + " is not supported (8 or 16)");
        }
        return out;
    }

    private static void requireLength(int have, int expected) throws SeriesVolumeException {
        if (have < expected) {
            throw new SeriesVolumeException("Pixel Data holds " + have + " values, the geometry needs " + expected);
        }
    }
}

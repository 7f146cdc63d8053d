package org.myoflow.dicom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.OtherWordAttribute;
import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import com.pixelmed.dicom.UIDGenerator;
import java.io.File;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Proves the Debian PixelMed jar is a normal Maven dependency: write a DICOM file and read it back. */
class PixelMedAvailabilityTest {

    @Test
    void writesAndReadsBackASecondaryCaptureImage(@TempDir Path dir) throws Exception {
        String sopInstanceUid = new UIDGenerator().getAnotherNewUID();
        short[] pixels = new short[4 * 3];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (short) (i * 100);
        }
        AttributeList list = new AttributeList();
        putString(list, TagFromName.SOPClassUID, SOPClass.SecondaryCaptureImageStorage);
        putString(list, TagFromName.SOPInstanceUID, sopInstanceUid);
        putString(list, TagFromName.PatientName, "Phantom^One");
        putString(list, TagFromName.Modality, "OT");
        putInt(list, TagFromName.Rows, 3);
        putInt(list, TagFromName.Columns, 4);
        putInt(list, TagFromName.BitsAllocated, 16);
        putInt(list, TagFromName.BitsStored, 16);
        putInt(list, TagFromName.HighBit, 15);
        putInt(list, TagFromName.PixelRepresentation, 0);
        putInt(list, TagFromName.SamplesPerPixel, 1);
        putString(list, TagFromName.PhotometricInterpretation, "MONOCHROME2");
        Attribute pixelData = new OtherWordAttribute(TagFromName.PixelData);
        pixelData.setValues(pixels);
        list.put(pixelData);
        FileMetaInformation.addFileMetaInformation(list, TransferSyntax.ExplicitVRLittleEndian, "MYOFLOW");

        File file = dir.resolve("sc.dcm").toFile();
        list.write(file, TransferSyntax.ExplicitVRLittleEndian, true, true);

        AttributeList read = new AttributeList();
        read.read(file);
        assertEquals(sopInstanceUid, Attribute.getSingleStringValueOrEmptyString(read, TagFromName.SOPInstanceUID));
        assertEquals("Phantom^One", Attribute.getSingleStringValueOrEmptyString(read, TagFromName.PatientName));
        assertEquals(4, Attribute.getSingleIntegerValueOrDefault(read, TagFromName.Columns, 0));
        assertArrayEquals(pixels, read.get(TagFromName.PixelData).getShortValues());
    }

    private static void putString(AttributeList list, com.pixelmed.dicom.AttributeTag tag, String value)
            throws Exception {
        Attribute a = com.pixelmed.dicom.AttributeFactory.newAttribute(tag);
        a.addValue(value);
        list.put(a);
    }

    private static void putInt(AttributeList list, com.pixelmed.dicom.AttributeTag tag, int value) throws Exception {
        Attribute a = com.pixelmed.dicom.AttributeFactory.newAttribute(tag);
        a.addValue(value);
        list.put(a);
    }
}

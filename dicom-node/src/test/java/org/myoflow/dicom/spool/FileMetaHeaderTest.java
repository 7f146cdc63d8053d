package org.myoflow.dicom.spool;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomOutputStream;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.TransferSyntax;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** The spool's directly written Part 10 header is byte for byte what PixelMed's FileMetaInformation writes. */
class FileMetaHeaderTest {
    @Test
    void equalsPixelMedsFileMetaInformation() throws Exception {
        String[] classes = {"1.2.840.10008.5.1.4.1.1.2", "1.2.840.10008.5.1.4.1.1.20", "1.2.840.10008.5.1.4.1.1.66.4"};
        String[] instances = {"1.2.3.4", "1.2.3.45", "2.25.329800735698586629295641978511506172918"};
        String[] syntaxes = {"1.2.840.10008.1.2", "1.2.840.10008.1.2.1", "1.2.840.10008.1.2.4.70"};
        String[] callers = {"STORESCU", "BENCH", "A", "SIXTEEN_CHARS_AE"};
        for (String cls : classes) {
            for (String sop : instances) {
                for (String ts : syntaxes) {
                    for (String ae : callers) {
                        assertArrayEquals(pixelMed(cls, sop, ts, ae), FileMetaHeader.encode(cls, sop, ts, ae),
                                String.join(" ", cls, sop, ts, ae));
                    }
                }
            }
        }
    }

    private static byte[] pixelMed(String cls, String sop, String ts, String ae) throws Exception {
        AttributeList meta = new FileMetaInformation(cls, sop, ts, ae).getAttributeList();
        ByteArrayOutputStream b = new ByteArrayOutputStream(512);
        DicomOutputStream dos = new DicomOutputStream(b, TransferSyntax.ExplicitVRLittleEndian, null);
        meta.write(dos);
        dos.flush();
        return b.toByteArray();
    }
}

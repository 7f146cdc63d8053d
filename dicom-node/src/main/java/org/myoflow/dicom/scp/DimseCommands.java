package org.myoflow.dicom.scp;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.DicomOutputStream;
import com.pixelmed.dicom.TransferSyntax;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * DIMSE encoding PixelMed has no classes for (the N- services): a command is its group 0000 elements in implicit VR
 * little endian, led by the Command Group Length; data sets travel in the presentation context's transfer syntax.
 */
final class DimseCommands {
    private DimseCommands() {
    }

    /** Encodes a command (without group length) and prefixes the Command Group Length element. */
    static byte[] command(AttributeList elements) throws IOException {
        byte[] body = encode(elements, TransferSyntax.ImplicitVRLittleEndian);
        byte[] out = new byte[12 + body.length];
        // (0000,0000) UL, length 4, value = byte length of the rest of the group
        out[4] = 4;
        int n = body.length;
        out[8] = (byte) n;
        out[9] = (byte) (n >>> 8);
        out[10] = (byte) (n >>> 16);
        out[11] = (byte) (n >>> 24);
        System.arraycopy(body, 0, out, 12, body.length);
        return out;
    }

    static byte[] encode(AttributeList list, String transferSyntax) throws IOException {
        try {
            ByteArrayOutputStream b = new ByteArrayOutputStream(512);
            DicomOutputStream dos = new DicomOutputStream(b, null, transferSyntax);
            list.write(dos);
            dos.flush();
            return b.toByteArray();
        } catch (DicomException e) {
            throw new IOException("cannot encode DIMSE message: " + e.getMessage(), e);
        }
    }

    static AttributeList decode(byte[] bytes, String transferSyntax) throws IOException, DicomException {
        AttributeList l = new AttributeList();
        l.read(new DicomInputStream(new ByteArrayInputStream(bytes), transferSyntax, false));
        return l;
    }
}

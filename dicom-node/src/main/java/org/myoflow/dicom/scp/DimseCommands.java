package org.myoflow.dicom.scp;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.DicomOutputStream;
import com.pixelmed.dicom.TransferSyntax;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * DIMSE encoding: a command is its group 0000 elements in implicit VR little endian, led by the Command Group Length;
 * data sets travel in the presentation context's transfer syntax. The N- services (PixelMed has no classes for them)
 * go through PixelMed's {@code AttributeList}; the C-STORE-RSP, sent once per received instance, is written directly.
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

    /**
     * The C-STORE-RSP (PS3.7 9.3.1.2): Affected SOP Class UID, Command Field 8001H, Message ID Being Responded To,
     * Command Data Set Type 0101H (none), Status, Affected SOP Instance UID; UIDs padded to even length with NUL.
     */
    static byte[] storeResponse(String sopClassUid, String sopInstanceUid, int messageId, int status) {
        byte[] cls = sopClassUid.getBytes(StandardCharsets.US_ASCII);
        byte[] sop = sopInstanceUid.getBytes(StandardCharsets.US_ASCII);
        int clsLength = cls.length + (cls.length & 1);
        int sopLength = sop.length + (sop.length & 1);
        int group = 8 + clsLength + 4 * 10 + 8 + sopLength;
        ByteBuffer b = ByteBuffer.allocate(12 + group).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x00000000).putInt(4).putInt(group);
        b.putShort((short) 0).putShort((short) 0x0002).putInt(clsLength).put(cls);
        if (clsLength > cls.length) {
            b.put((byte) 0);
        }
        unsignedShort(b, 0x0100, 0x8001);
        unsignedShort(b, 0x0120, messageId);
        unsignedShort(b, 0x0800, 0x0101);
        unsignedShort(b, 0x0900, status);
        b.putShort((short) 0).putShort((short) 0x1000).putInt(sopLength).put(sop);
        if (sopLength > sop.length) {
            b.put((byte) 0);
        }
        return b.array();
    }

    private static void unsignedShort(ByteBuffer b, int element, int value) {
        b.putShort((short) 0).putShort((short) element).putInt(2).putShort((short) value);
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

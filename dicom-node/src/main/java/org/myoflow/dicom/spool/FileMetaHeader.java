package org.myoflow.dicom.spool;

import com.pixelmed.dicom.VersionAndConstants;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The Part 10 header of a spooled instance (PS3.10 7.1): the 128-byte preamble, "DICM", and the file meta information
 * in explicit VR little endian: group length, version 00 01, media storage SOP class and instance, transfer syntax,
 * implementation class UID and version name, source AE title. Every received instance gets one, so it is written
 * directly, byte for byte what PixelMed's {@code FileMetaInformation} writes (its implementation UID and name: the
 * toolkit that defines the encoding), without building attributes by reflection.
 */
final class FileMetaHeader {
    private static final byte[] IMPLEMENTATION_CLASS =
            VersionAndConstants.implementationClassUID.getBytes(StandardCharsets.US_ASCII);
    private static final byte[] IMPLEMENTATION_VERSION =
            VersionAndConstants.implementationVersionName.getBytes(StandardCharsets.US_ASCII);

    private FileMetaHeader() {
    }

    static byte[] encode(String sopClassUid, String sopInstanceUid, String transferSyntaxUid, String sourceAe) {
        byte[] cls = sopClassUid.getBytes(StandardCharsets.US_ASCII);
        byte[] sop = sopInstanceUid.getBytes(StandardCharsets.US_ASCII);
        byte[] ts = transferSyntaxUid.getBytes(StandardCharsets.US_ASCII);
        byte[] ae = sourceAe.getBytes(StandardCharsets.ISO_8859_1);
        int group = 14 // (0002,0001) OB: 12-byte header and two bytes
                + element(cls) + element(sop) + element(ts) + element(IMPLEMENTATION_CLASS)
                + element(IMPLEMENTATION_VERSION) + (ae.length == 0 ? 0 : element(ae));
        ByteBuffer b = ByteBuffer.allocate(128 + 4 + 12 + group).order(ByteOrder.LITTLE_ENDIAN);
        b.position(128);
        b.put((byte) 'D').put((byte) 'I').put((byte) 'C').put((byte) 'M');
        header(b, 0x0000, 'U', 'L', 4).putInt(group);
        b.putShort((short) 2).putShort((short) 0x0001).put((byte) 'O').put((byte) 'B').putShort((short) 0).putInt(2)
                .put((byte) 0).put((byte) 1);
        string(b, 0x0002, 'U', 'I', cls, (byte) 0);
        string(b, 0x0003, 'U', 'I', sop, (byte) 0);
        string(b, 0x0010, 'U', 'I', ts, (byte) 0);
        string(b, 0x0012, 'U', 'I', IMPLEMENTATION_CLASS, (byte) 0);
        string(b, 0x0013, 'S', 'H', IMPLEMENTATION_VERSION, (byte) ' ');
        if (ae.length > 0) {
            string(b, 0x0016, 'A', 'E', ae, (byte) ' ');
        }
        return b.array();
    }

    /** Bytes of a short-length element: 8-byte header and the value padded to even length. */
    private static int element(byte[] value) {
        return 8 + value.length + (value.length & 1);
    }

    private static ByteBuffer header(ByteBuffer b, int element, char vr0, char vr1, int length) {
        return b.putShort((short) 2).putShort((short) element).put((byte) vr0).put((byte) vr1)
                .putShort((short) length);
    }

    private static void string(ByteBuffer b, int element, char vr0, char vr1, byte[] value, byte pad) {
        int padded = value.length + (value.length & 1);
        header(b, element, vr0, vr1, padded).put(value);
        if (padded > value.length) {
            b.put(pad);
        }
    }
}

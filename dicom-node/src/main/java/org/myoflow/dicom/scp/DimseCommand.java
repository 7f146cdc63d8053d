package org.myoflow.dicom.scp;

import java.nio.charset.StandardCharsets;

/**
 * A received DIMSE command: the group 0000 fields this SCP acts on, read in one pass over the command set (implicit
 * VR little endian, PS3.7 6.3.1 and Annex E). Every C-STORE starts with one, so it is read here instead of by
 * PixelMed's {@code AttributeList}, which builds each element by reflection; the rare N- services still decode their
 * data sets with PixelMed.
 *
 * @param field Command Field (0000,0100)
 * @param messageId Message ID (0000,0110), 0 when absent
 * @param hasDataSet Command Data Set Type (0000,0800) other than 0101H
 */
record DimseCommand(int field, int messageId, boolean hasDataSet, String affectedSopClassUid,
                    String affectedSopInstanceUid, String requestedSopClassUid, String requestedSopInstanceUid) {
    private static final int NO_DATA_SET = 0x0101;
    /** Far above any UID (64 characters at most, PS3.5 9.1) and below the file meta header's 2-byte lengths. */
    private static final int MAX_UID_BYTES = 1024;

    /** Reads {@code b[0, length)}; anything that is not a well-formed group 0000 command set is a violation. */
    static DimseCommand read(byte[] b, int length) throws ServiceDispatcher.ProtocolViolation {
        int field = -1;
        int messageId = 0;
        int dataSetType = NO_DATA_SET;
        String affectedClass = "";
        String affectedInstance = "";
        String requestedClass = "";
        String requestedInstance = "";
        int at = 0;
        while (at < length) {
            if (length - at < 8) {
                throw unreadable("element header cut off at byte " + at);
            }
            int group = u16(b, at);
            int element = u16(b, at + 2);
            long valueLength = Integer.toUnsignedLong(u16(b, at + 4) | u16(b, at + 6) << 16);
            at += 8;
            if (group != 0x0000) {
                throw unreadable(String.format("element (%04X,%04X) outside the command group", group, element));
            }
            if (valueLength > length - at) {
                throw unreadable(String.format("element (0000,%04X) of %d bytes runs past the command's end",
                        element, valueLength));
            }
            int n = (int) valueLength;
            switch (element) {
                case 0x0002 -> affectedClass = uid(b, at, n, element);
                case 0x0003 -> requestedClass = uid(b, at, n, element);
                case 0x0100 -> field = us(b, at, n, element);
                case 0x0110 -> messageId = us(b, at, n, element);
                case 0x0800 -> dataSetType = us(b, at, n, element);
                case 0x1000 -> affectedInstance = uid(b, at, n, element);
                case 0x1001 -> requestedInstance = uid(b, at, n, element);
                default -> { } // group length, priority, move originator...: not needed to act on the command
            }
            at += n;
        }
        if (field < 0) {
            throw unreadable("no Command Field (0000,0100)");
        }
        return new DimseCommand(field, messageId, dataSetType != NO_DATA_SET, affectedClass, affectedInstance,
                requestedClass, requestedInstance);
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8;
    }

    private static int us(byte[] b, int at, int n, int element) throws ServiceDispatcher.ProtocolViolation {
        if (n != 2) {
            throw unreadable(String.format("element (0000,%04X) is US but %d bytes long", element, n));
        }
        return u16(b, at);
    }

    /** A UI value without its padding (a trailing NUL, or a space from senders that pad wrongly). */
    private static String uid(byte[] b, int at, int n, int element) throws ServiceDispatcher.ProtocolViolation {
        if (n > MAX_UID_BYTES) {
            throw unreadable(String.format("element (0000,%04X) is a UID of %d bytes", element, n));
        }
        int end = at + n;
        while (end > at && (b[end - 1] == 0 || b[end - 1] == ' ')) {
            end--;
        }
        int start = at;
        while (start < end && b[start] == ' ') {
            start++;
        }
        return new String(b, start, end - start, StandardCharsets.US_ASCII);
    }

    private static ServiceDispatcher.ProtocolViolation unreadable(String why) {
        return new ServiceDispatcher.ProtocolViolation("unreadable DIMSE command: " + why);
    }
}

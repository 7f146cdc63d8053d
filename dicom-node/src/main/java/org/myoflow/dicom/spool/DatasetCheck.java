package org.myoflow.dicom.spool;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads a received Part 10 file's attributes up to Pixel Data and proves the file is whole without decoding the
 * pixels: for little endian syntaxes the Pixel Data element must end exactly at the end of the file (defined length)
 * or the file must end with the sequence delimiter (encapsulated). Anything else (deflate, big endian, elements
 * after Pixel Data) is read in full by PixelMed. A truncated or malformed file raises an exception. The header of
 * a received instance is read by {@link HeaderScan}, PixelMed only where the scan cannot decide.
 */
final class DatasetCheck {
    private static final String EXPLICIT_LE = "1.2.840.10008.1.2.1";
    private static final String IMPLICIT_LE = "1.2.840.10008.1.2";

    private DatasetCheck() {
    }

    /** The header fields read (Pixel Data itself is left unread) and whether the data set has Pixel Data. */
    record Inspected(HeaderFields fields, boolean hasPixelData) {
        Inspected(AttributeList attributes, boolean hasPixelData) {
            this(HeaderFields.of(attributes), hasPixelData);
        }
    }

    /**
     * The same answer from the bytes the receiver still holds, without reading the file back: {@code head} is the
     * file's first {@code headLength} bytes, {@code tail} its last 8, {@code size} its length. Returns null when those
     * bytes cannot decide (a header longer than the head, elements after Pixel Data, any parse error, a syntax other
     * than little endian); the caller then reads the file with {@link #read(Path, String)}, which has the last word.
     */
    static Inspected fromReceived(byte[] head, int headLength, byte[] tail, long size, String transferSyntax)
            throws InstanceRefusedException {
        if (!littleEndian(transferSyntax)) {
            return null;
        }
        boolean implicit = IMPLICIT_LE.equals(transferSyntax);
        HeaderScan.Scanned scanned = HeaderScan.scan(head, headLength, implicit);
        HeaderFields fields;
        long tagAt;
        if (scanned != null && scanned.malformed() != null) {
            throw new InstanceRefusedException(InstanceRefusedException.CANNOT_UNDERSTAND, scanned.malformed());
        }
        if (scanned != null) {
            fields = scanned.fields();
            if (scanned.pixelDataAt() < 0) {
                return headLength == size ? new Inspected(fields, false) : null;
            }
            tagAt = scanned.pixelDataAt();
        } else {
            AttributeList l = new AttributeList();
            long stopped;
            try (DicomInputStream in = new DicomInputStream(new java.io.ByteArrayInputStream(head, 0, headLength))) {
                stopped = l.read(in, TagFromName.PixelData);
            } catch (IOException | DicomException | RuntimeException e) {
                return null;
            }
            fields = HeaderFields.of(l);
            if (stopped >= size) {
                return new Inspected(fields, false);
            }
            tagAt = stopped - 4;
        }
        int headerLength = implicit ? 8 : 12;
        if (tagAt < 0 || tagAt + headerLength > headLength) {
            return null;
        }
        ByteBuffer h = ByteBuffer.wrap(head, (int) tagAt, headerLength).order(ByteOrder.LITTLE_ENDIAN);
        long length = Integer.toUnsignedLong(h.getInt((int) tagAt + (implicit ? 4 : 8)));
        if (length == 0xFFFFFFFFL) {
            ByteBuffer t = ByteBuffer.wrap(tail).order(ByteOrder.LITTLE_ENDIAN);
            boolean delimiterLast = size >= 8 && t.getShort(0) == (short) 0xFFFE && t.getShort(2) == (short) 0xE0DD
                    && t.getInt(4) == 0;
            return delimiterLast ? new Inspected(fields, true) : null;
        }
        long end = tagAt + headerLength + length;
        if (end > size) {
            throw truncated(size, end);
        }
        return end == size ? new Inspected(fields, true) : null;
    }

    /**
     * The header fields of a spooled Part 10 file from its first {@code length} bytes ({@code size} in all), without
     * PixelMed; null when those bytes cannot decide (a syntax other than little endian, a header longer than them, or
     * anything {@link HeaderScan} leaves to PixelMed). The file was proved whole when it was received: this only
     * reads what it says, for the index a restarted spool rebuilds.
     */
    static HeaderFields spooledHeader(byte[] head, int length, long size) {
        String ts = HeaderScan.transferSyntax(head, length);
        if (ts == null || !littleEndian(ts)) {
            return null;
        }
        HeaderScan.Scanned scanned = HeaderScan.scan(head, length, IMPLICIT_LE.equals(ts));
        if (scanned == null || scanned.malformed() != null || (scanned.pixelDataAt() < 0 && length < size)) {
            return null; // no Pixel Data within the bytes read: the rest of the header may follow
        }
        return scanned.fields();
    }

    /** A whole Part 10 file held in memory, read in full (any syntax); malformed or short input throws. */
    static Inspected readAll(byte[] file, int length) throws IOException, DicomException {
        AttributeList l = new AttributeList();
        try (DicomInputStream in = new DicomInputStream(new java.io.ByteArrayInputStream(file, 0, length))) {
            l.read(in);
        }
        return new Inspected(l, l.get(TagFromName.PixelData) != null);
    }

    private static boolean littleEndian(String transferSyntax) {
        return EXPLICIT_LE.equals(transferSyntax) || IMPLICIT_LE.equals(transferSyntax)
                || (new TransferSyntax(transferSyntax).isEncapsulated()
                && new TransferSyntax(transferSyntax).isLittleEndian() && !transferSyntax.endsWith(".99"));
    }

    static Inspected read(Path file, String transferSyntax) throws IOException, DicomException,
            InstanceRefusedException {
        long size = Files.size(file);
        AttributeList l = new AttributeList();
        if (!littleEndian(transferSyntax)) {
            l.read(file.toFile());
            return new Inspected(l, l.get(TagFromName.PixelData) != null);
        }
        if (!IMPLICIT_LE.equals(transferSyntax)) {
            refuseUndefinedVrs(file, size);
        }
        long stopped;
        try (InputStream raw = Files.newInputStream(file);
             DicomInputStream in = new DicomInputStream(new BufferedInputStream(raw, 16384))) {
            stopped = l.read(in, TagFromName.PixelData);
        }
        if (stopped >= size) {
            return new Inspected(l, false); // no Pixel Data: all was read (a short file would have thrown)
        }
        boolean implicit = IMPLICIT_LE.equals(transferSyntax);
        long tagAt = stopped - 4;
        ByteBuffer h = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel c = FileChannel.open(file, StandardOpenOption.READ)) {
            c.read(h, tagAt);
            if (h.position() < (implicit ? 8 : 12)) {
                throw truncated(size, tagAt);
            }
            long length = Integer.toUnsignedLong(h.getInt(implicit ? 4 : 8));
            long valueStart = tagAt + (implicit ? 8 : 12);
            if (length == 0xFFFFFFFFL) {
                ByteBuffer tail = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
                c.read(tail, size - 8);
                if (tail.getShort(0) != (short) 0xFFFE || tail.getShort(2) != (short) 0xE0DD || tail.getInt(4) != 0) {
                    l = new AttributeList();
                    l.read(file.toFile()); // delimiter not last: trailing elements, or truncated (then this throws)
                }
                return new Inspected(l, true);
            }
            long end = valueStart + length;
            if (end > size) {
                throw truncated(size, end);
            }
            if (end < size) {
                l = new AttributeList();
                l.read(file.toFile()); // elements after Pixel Data (e.g. trailing padding): read them all
            }
        }
        return new Inspected(l, true);
    }

    /** How much of a part file's head is scanned for VRs PS3.5 does not define (headers are rarely over 64 KB). */
    private static final int VR_SCAN_HEAD = 256 * 1024;

    /**
     * PixelMed reads a VR that PS3.5 does not define as if it had a short length and accepts the file; the header
     * scan refuses it ({@link HeaderScan.Scanned#malformed}). Instances held in memory were scanned already; a part
     * file's head is read back for it here.
     */
    private static void refuseUndefinedVrs(Path file, long size) throws IOException, InstanceRefusedException {
        byte[] head = new byte[(int) Math.min(size, VR_SCAN_HEAD)];
        try (InputStream in = Files.newInputStream(file)) {
            int n = in.readNBytes(head, 0, head.length);
            HeaderScan.Scanned scanned = HeaderScan.scan(head, n, false);
            if (scanned != null && scanned.malformed() != null) {
                throw new InstanceRefusedException(InstanceRefusedException.CANNOT_UNDERSTAND, scanned.malformed());
            }
        }
    }

    private static InstanceRefusedException truncated(long size, long expected) {
        return new InstanceRefusedException(InstanceRefusedException.CANNOT_UNDERSTAND,
                "truncated data set: Pixel Data needs " + expected + " bytes, the file has " + size);
    }
}

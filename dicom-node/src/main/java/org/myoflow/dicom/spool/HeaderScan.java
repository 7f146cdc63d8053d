package org.myoflow.dicom.spool;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * A single pass over a received little endian Part 10 file's elements up to Pixel Data that keeps only the
 * {@link HeaderFields}: nested sequences are skipped by their lengths or delimiters, nothing else is decoded.
 *
 * <p>Written by hand because it sits on the acknowledgement path: PixelMed's {@code AttributeList.read} builds every
 * attribute by reflection and formats tag strings as it goes, and took about 40 % of the association thread's CPU for
 * a 64x64 CT instance. Whatever this scan does not handle (a character set other than ASCII, Latin-1 or UTF-8, a UN
 * element of undefined length, a header longer than the bytes given, anything malformed) makes it return null, and
 * the caller reads the data set with PixelMed, which has the last word on what is wrong with it.
 */
final class HeaderScan {
    private static final int PIXEL_DATA = 0x7FE00010;
    private static final int ITEM = 0xFFFEE000;
    private static final int ITEM_END = 0xFFFEE00D;
    private static final int SEQUENCE_END = 0xFFFEE0DD;
    private static final long UNDEFINED = 0xFFFFFFFFL;
    private static final int MAX_DEPTH = 16;
    /** VR codes ({@link #vr}); IMPLICIT when the syntax carries none. */
    private static final int IMPLICIT = -1;
    private static final int UN = 'U' << 8 | 'N';
    private static final int SQ = 'S' << 8 | 'Q';

    private static final int SPECIFIC_CHARACTER_SET = 0x00080005;
    private static final int IMAGE_TYPE = 0x00080008;
    private static final int SOP_CLASS = 0x00080016;
    private static final int SOP_INSTANCE = 0x00080018;
    private static final int ACCESSION = 0x00080050;
    private static final int MODALITY = 0x00080060;
    private static final int SERIES_DESCRIPTION = 0x0008103E;
    private static final int PATIENT_NAME = 0x00100010;
    private static final int PATIENT_ID = 0x00100020;
    private static final int STUDY = 0x0020000D;
    private static final int SERIES = 0x0020000E;
    private static final int SERIES_NUMBER = 0x00200011;
    private static final int IMAGES_IN_ACQUISITION = 0x00201002;
    private static final int SERIES_RELATED_INSTANCES = 0x00201209;
    private static final int NUMBER_OF_FRAMES = 0x00280008;
    private static final int PER_FRAME_GROUPS = 0x52009230;
    private static final int TRANSFER_SYNTAX = 0x00020010;

    /**
     * What the scan found: the fields, and where the Pixel Data element starts (-1: none before the end); or, with
     * {@code malformed} set and nothing else, why the data set cannot be stored as received.
     */
    record Scanned(HeaderFields fields, long pixelDataAt, String malformed) {
        Scanned(HeaderFields fields, long pixelDataAt) {
            this(fields, pixelDataAt, null);
        }
    }

    /**
     * An explicit VR that PS3.5 (Table 6.2-1) does not define. Readers disagree on its length field: PixelMed
     * assumes the short form and "compensates", dcmtk and the standard's advice for VRs to come assume the long one.
     * A data set stored that way reads as one thing here and another (or as truncated) downstream, so it is refused.
     */
    private static final class UnknownVr extends RuntimeException {
        UnknownVr(int tag, int vr) {
            super(String.format("element (%04X,%04X) has VR %s, which PS3.5 does not define", tag >>> 16,
                    tag & 0xffff, letter(vr >> 8) && letter(vr & 0xff)
                            ? String.format("'%c%c'", (char) (vr >> 8), (char) (vr & 0xff))
                            : String.format("bytes %02X %02X", vr >> 8, vr & 0xff)), null, false, false);
        }
    }

    private final byte[] b;
    private final int limit;
    private final boolean implicit;
    private int at;
    /**
     * Where the data set's first element is, once the file meta information is behind: from there on, a VR that is
     * not two capital letters is one PS3.5 does not define. (PixelMed and dcmtk both fail on a data set in implicit
     * VR sent as explicit, so refusing it at its first element loses nothing either would read.)
     */
    private int dataSetStart = Integer.MAX_VALUE;
    private Charset charset = StandardCharsets.US_ASCII;
    private final String[] values = new String[15];
    private boolean perFrameGroups;

    private HeaderScan(byte[] b, int limit, boolean implicit) {
        this.b = b;
        this.limit = limit;
        this.implicit = implicit;
    }

    /**
     * Scans {@code file[0, length)}: preamble, file meta information (explicit VR), then the data set in explicit or
     * (when {@code implicitVr}) implicit VR little endian. Returns null when the bytes cannot decide (see above).
     */
    static Scanned scan(byte[] file, int length, boolean implicitVr) {
        HeaderScan s = new HeaderScan(file, length, implicitVr);
        try {
            Scanned scanned = s.run();
            return scanned != null || implicitVr ? scanned : vrsOnly(file, length);
        } catch (UnknownVr e) {
            return new Scanned(null, -1, e.getMessage());
        } catch (ArrayIndexOutOfBoundsException | IllegalArgumentException e) {
            // ran past the bytes or met something malformed: PixelMed decides, unless an undefined VR comes first
            return implicitVr ? null : vrsOnly(file, length);
        }
    }

    /**
     * Where the scan leaves a data set to PixelMed (a field with an unexpected VR, elements out of order, a charset
     * it does not read), walks its elements once more for their VRs alone, since PixelMed accepts undefined ones:
     * malformed when it meets one before Pixel Data, else null (none, or the bytes stop making sense first).
     */
    private static Scanned vrsOnly(byte[] file, int length) {
        HeaderScan s = new HeaderScan(file, length, false);
        try {
            s.walkVrs();
            return null;
        } catch (UnknownVr e) {
            return new Scanned(null, -1, e.getMessage());
        } catch (ArrayIndexOutOfBoundsException | IllegalArgumentException e) {
            return null;
        }
    }

    private void walkVrs() {
        if (!preamble()) {
            return;
        }
        while (at + 8 <= limit) {
            int tag = tag(at);
            if (tag == PIXEL_DATA) {
                return;
            }
            if (dataSetStart == Integer.MAX_VALUE && tag >>> 16 != 0x0002) {
                dataSetStart = at;
            }
            int vr = vr(at);
            value(vr, header(false), 1);
        }
    }

    /**
     * The Transfer Syntax UID in the file meta information of {@code file[0, length)}, or null when those bytes do not
     * hold one (no preamble, a meta group cut off or malformed).
     */
    static String transferSyntax(byte[] file, int length) {
        HeaderScan s = new HeaderScan(file, length, false);
        try {
            return s.metaTransferSyntax();
        } catch (ArrayIndexOutOfBoundsException | IllegalArgumentException | UnknownVr e) {
            return null;
        }
    }

    private String metaTransferSyntax() {
        if (!preamble()) {
            return null;
        }
        while (at < limit && u16(at) == 0x0002) {
            int tag = tag(at);
            long length = header(false);
            if (length == UNDEFINED || length > limit - at) {
                return null;
            }
            if (tag == TRANSFER_SYNTAX) {
                return strip(text((int) length, StandardCharsets.US_ASCII));
            }
            skip(length);
        }
        return null;
    }

    /** Checks the Part 10 preamble's "DICM" and leaves {@link #at} after it. */
    private boolean preamble() {
        if (limit < 132 || b[128] != 'D' || b[129] != 'I' || b[130] != 'C' || b[131] != 'M') {
            return false;
        }
        at = 132;
        return true;
    }

    private Scanned run() {
        if (!preamble()) {
            return null;
        }
        while (at < limit && u16(at) == 0x0002) { // file meta information: always explicit VR
            int tag = tag(at);
            long length = header(false);
            if (length == UNDEFINED) {
                return null;
            }
            skip(length);
        }
        dataSetStart = at;
        long pixelDataAt = -1;
        while (at < limit) {
            int start = at;
            int tag = tag(at);
            need(at, 8);
            if (Integer.compareUnsigned(tag, PIXEL_DATA) >= 0) {
                if (tag != PIXEL_DATA) {
                    return null; // float pixel data or elements past it without Pixel Data: PixelMed reads all
                }
                pixelDataAt = start;
                break;
            }
            int vr = implicit ? IMPLICIT : vr(at);
            long length = header(implicit);
            if (length == UNDEFINED) {
                if (vr == UN) {
                    return null;
                }
                if (vr != IMPLICIT && (slot(tag) >= 0 || tag == PER_FRAME_GROUPS) && vr != SQ) {
                    return null;
                }
                if (tag == PER_FRAME_GROUPS) {
                    perFrameGroups = true;
                }
                value(vr, length, 1);
                continue;
            }
            if (length > limit - at) {
                return null;
            }
            int slot = slot(tag);
            if (vr != IMPLICIT && (slot >= 0 || tag == PER_FRAME_GROUPS)
                    && vr != (tag == PER_FRAME_GROUPS ? SQ : VRS[slot])) {
                return null; // an unexpected VR for a field we read: PixelMed decides what it means
            }
            if (tag == PER_FRAME_GROUPS) {
                perFrameGroups = true;
            }
            if (slot >= 0 && values[slot] == null) {
                if (tag == SPECIFIC_CHARACTER_SET) {
                    String cs = text((int) length, StandardCharsets.US_ASCII);
                    charset = switch (cs) {
                        case "", "ISO_IR 6" -> StandardCharsets.US_ASCII;
                        case "ISO_IR 100" -> StandardCharsets.ISO_8859_1;
                        case "ISO_IR 192" -> StandardCharsets.UTF_8;
                        default -> null;
                    };
                    if (charset == null) {
                        return null; // ISO 2022 escapes and other repertoires: PixelMed decodes those
                    }
                    values[slot] = cs;
                } else {
                    values[slot] = text((int) length, charset);
                }
            }
            value(vr, length, 1);
        }
        String imageType = values[slot(IMAGE_TYPE)];
        return new Scanned(new HeaderFields(first(SOP_CLASS), first(SOP_INSTANCE), first(STUDY), first(SERIES),
                first(MODALITY), integer(SERIES_NUMBER, 0), first(SERIES_DESCRIPTION), first(PATIENT_ID),
                first(PATIENT_NAME), first(ACCESSION), integer(NUMBER_OF_FRAMES, 1),
                integer(SERIES_RELATED_INSTANCES, integer(IMAGES_IN_ACQUISITION, 0)),
                imageType == null ? "" : joinValues(imageType), perFrameGroups), pixelDataAt);
    }

    /**
     * Walks a sequence's items from {@link #at}: up to {@code end} for a sequence of defined length, or up to its
     * delimiter ({@code end} -1). Every item and element must end where its length says, nested sequences of
     * defined length included, since PixelMed reads into them and refuses what does not fit; anything that does
     * not is left to PixelMed (an exception here).
     */
    private void walkSequence(long end, int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("sequences nested too deep");
        }
        while (true) {
            if (end >= 0 && at >= end) {
                if (at > end) {
                    throw new IllegalArgumentException("an item runs past its sequence");
                }
                return;
            }
            need(at, 8);
            int tag = tag(at);
            long length = u32(at + 4);
            at += 8;
            if (tag == SEQUENCE_END) {
                if (end >= 0 || length != 0) {
                    throw new IllegalArgumentException("a misplaced sequence delimiter");
                }
                return;
            }
            if (tag != ITEM) {
                throw new IllegalArgumentException("expected an item");
            }
            long itemEnd = length == UNDEFINED ? -1 : at + length;
            if (itemEnd > limit || (end >= 0 && itemEnd > end)) {
                throw new IllegalArgumentException("an item runs past its sequence");
            }
            walkItem(itemEnd, depth);
        }
    }

    /** An item's elements, up to {@code end} (defined length) or up to its delimiter ({@code end} -1). */
    private void walkItem(long end, int depth) {
        while (true) {
            if (end >= 0) {
                if (at == end) {
                    return;
                }
                if (at > end) {
                    throw new IllegalArgumentException("an element runs past its item");
                }
            } else {
                need(at, 8);
                if (tag(at) == ITEM_END) {
                    at += 8;
                    return;
                }
            }
            int vr = implicit ? IMPLICIT : vr(at);
            value(vr, header(implicit), depth + 1);
        }
    }

    /**
     * Moves past the value of the element whose header was just read: a sequence is walked into (its items must fit
     * it, as PixelMed reads them), anything else skipped by its length. Encapsulated pixel data (an explicit OB or OW
     * of undefined length, an icon's say) holds fragments of compressed bytes, not elements: skipped item by item.
     */
    private void value(int vr, long length, int depth) {
        if (length == UNDEFINED) {
            if (vr == UN) {
                throw new IllegalArgumentException("UN of undefined length"); // implicit VR inside: PixelMed reads it
            }
            if (vr == SQ || vr == IMPLICIT) {
                walkSequence(-1, depth);
            } else {
                skipFragments();
            }
        } else if (vr == SQ) {
            if (length > limit - at) {
                throw new IllegalArgumentException("a sequence runs past the end");
            }
            walkSequence(at + length, depth);
        } else {
            skip(length);
        }
    }

    /** Encapsulated fragments up to their sequence delimiter. */
    private void skipFragments() {
        while (true) {
            need(at, 8);
            int tag = tag(at);
            long length = u32(at + 4);
            at += 8;
            if (tag == SEQUENCE_END) {
                return;
            }
            if (tag != ITEM) {
                throw new IllegalArgumentException("expected a fragment");
            }
            skip(length);
        }
    }

    /** Reads an element header at {@link #at}, leaves {@link #at} at its value and returns the value length. */
    private long header(boolean implicitVr) {
        need(at, 8);
        if (implicitVr) {
            long length = u32(at + 4);
            at += 8;
            return length;
        }
        if (longLength(vr(at))) {
            need(at, 12);
            long length = u32(at + 8);
            at += 12;
            return length;
        }
        long length = u16(at + 6);
        at += 8;
        return length;
    }

    /** The explicit VR of the element at {@code p} as two characters in an int (no String per element). */
    private int vr(int p) {
        need(p, 6);
        int v0 = b[p + 4];
        int v1 = b[p + 5];
        if (!letter(v0) || !letter(v1)) {
            if (p >= dataSetStart) { // PixelMed reads on one way and dcmtk another: neither is what was meant
                throw new UnknownVr(tag(p), (v0 & 0xff) << 8 | v1 & 0xff);
            }
            throw new IllegalArgumentException("not an explicit VR");
        }
        if (!KNOWN_VRS[(v0 - 'A') * 26 + v1 - 'A']) {
            throw new UnknownVr(tag(p), v0 << 8 | v1);
        }
        return v0 << 8 | v1;
    }

    private static boolean letter(int c) {
        return c >= 'A' && c <= 'Z';
    }

    /** PS3.5 Table 6.2-1 (2025 edition), by (first letter, second letter): one array read per element. */
    private static final boolean[] KNOWN_VRS = new boolean[26 * 26];

    static {
        for (String vr : new String[] {"AE", "AS", "AT", "CS", "DA", "DS", "DT", "FD", "FL", "IS", "LO", "LT", "OB",
                "OD", "OF", "OL", "OV", "OW", "PN", "SH", "SL", "SQ", "SS", "ST", "SV", "TM", "UC", "UI", "UL", "UN",
                "UR", "US", "UT", "UV"}) {
            KNOWN_VRS[(vr.charAt(0) - 'A') * 26 + vr.charAt(1) - 'A'] = true;
        }
    }

    private static int code(String vr) {
        return vr.charAt(0) << 8 | vr.charAt(1);
    }

    /** VRs with a reserved field and a 32-bit length in explicit VR (PS3.5 7.1.2). */
    private static final java.util.Set<Integer> LONG_LENGTH = java.util.Set.of(code("OB"), code("OD"), code("OF"),
            code("OL"), code("OV"), code("OW"), code("SQ"), code("SV"), code("UC"), code("UN"), code("UR"),
            code("UT"), code("UV"));

    private static boolean longLength(int vr) {
        return LONG_LENGTH.contains(vr);
    }

    private void skip(long length) {
        if (length > limit - at) {
            throw new IllegalArgumentException("value runs past the end");
        }
        at += (int) length;
    }

    private String text(int length, Charset cs) {
        if (cs == StandardCharsets.US_ASCII) {
            for (int i = at; i < at + length; i++) {
                if (b[i] < 0) {
                    throw new IllegalArgumentException("non-ASCII bytes in the default repertoire");
                }
            }
        }
        return new String(b, at, length, cs);
    }

    private String first(int tag) {
        String v = values[slot(tag)];
        if (v == null) {
            return "";
        }
        int cut = v.indexOf('\\');
        return strip(cut < 0 ? v : v.substring(0, cut));
    }

    private int integer(int tag, int absent) {
        String v = first(tag);
        if (v.isEmpty()) {
            return absent;
        }
        try {
            return Integer.parseInt(v.startsWith("+") ? v.substring(1) : v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not an IS value: " + v); // PixelMed has its own reading of those
        }
    }

    private static String joinValues(String v) {
        String[] parts = v.split("\\\\", -1);
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                s.append('\\');
            }
            s.append(strip(parts[i]));
        }
        return s.toString();
    }

    /** Removes the padding DICOM allows around a value: spaces, and the NUL that pads UIDs. */
    private static String strip(String v) {
        int from = 0;
        int to = v.length();
        while (from < to && (v.charAt(from) == ' ' || v.charAt(from) == 0)) {
            from++;
        }
        while (to > from && (v.charAt(to - 1) == ' ' || v.charAt(to - 1) == 0)) {
            to--;
        }
        return v.substring(from, to);
    }

    /** The VR of each field, by slot: in explicit VR anything else is left to PixelMed. */
    private static final int[] VRS = java.util.Arrays.stream(new String[] {"CS", "CS", "UI", "UI", "SH", "CS", "LO",
        "PN", "LO", "UI", "UI", "IS", "IS", "IS", "IS"}).mapToInt(HeaderScan::code).toArray();

    private static int slot(int tag) {
        return switch (tag) {
            case SPECIFIC_CHARACTER_SET -> 0;
            case IMAGE_TYPE -> 1;
            case SOP_CLASS -> 2;
            case SOP_INSTANCE -> 3;
            case ACCESSION -> 4;
            case MODALITY -> 5;
            case SERIES_DESCRIPTION -> 6;
            case PATIENT_NAME -> 7;
            case PATIENT_ID -> 8;
            case STUDY -> 9;
            case SERIES -> 10;
            case SERIES_NUMBER -> 11;
            case NUMBER_OF_FRAMES -> 12;
            case SERIES_RELATED_INSTANCES -> 13;
            case IMAGES_IN_ACQUISITION -> 14;
            default -> -1;
        };
    }

    private int tag(int p) {
        return (u16(p) << 16) | u16(p + 2);
    }

    /** The buffer may be longer than the file: never read past {@link #limit}. */
    private void need(int p, int n) {
        if (p < 0 || p + n > limit) {
            throw new IllegalArgumentException("element runs past the end");
        }
    }

    private int u16(int p) {
        need(p, 2);
        return (b[p] & 0xFF) | (b[p + 1] & 0xFF) << 8;
    }

    private long u32(int p) {
        need(p, 4);
        return Integer.toUnsignedLong((b[p] & 0xFF) | (b[p + 1] & 0xFF) << 8 | (b[p + 2] & 0xFF) << 16
                | (b[p + 3] & 0xFF) << 24);
    }
}

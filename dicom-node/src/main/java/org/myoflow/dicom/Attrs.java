package org.myoflow.dicom;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeFactory;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.SequenceAttribute;

/** Small helpers to build PixelMed attribute lists without ceremony. */
public final class Attrs {
    private Attrs() {
    }

    /** An empty (type 2) attribute. */
    public static void putEmpty(AttributeList list, AttributeTag tag) throws DicomException {
        list.put(AttributeFactory.newAttribute(tag));
    }

    /** Puts a string attribute (multiple values allowed). */
    public static void put(AttributeList list, AttributeTag tag, String... values) throws DicomException {
        Attribute a = AttributeFactory.newAttribute(tag);
        for (String v : values) {
            a.addValue(v);
        }
        list.put(a);
    }

    public static void put(AttributeList list, AttributeTag tag, int... values) throws DicomException {
        Attribute a = AttributeFactory.newAttribute(tag);
        for (int v : values) {
            a.addValue(v);
        }
        list.put(a);
    }

    public static void put(AttributeList list, AttributeTag tag, double... values) throws DicomException {
        Attribute a = AttributeFactory.newAttribute(tag);
        for (double v : values) {
            a.addValue(v);
        }
        list.put(a);
    }

    /** A sequence with the given items (none: an empty type-2 sequence). */
    public static SequenceAttribute sequence(AttributeList list, AttributeTag tag, AttributeList... items) {
        SequenceAttribute s = new SequenceAttribute(tag);
        for (AttributeList item : items) {
            s.addItem(item);
        }
        list.put(s);
        return s;
    }

    /** A code sequence item (code value, scheme, meaning). */
    public static AttributeList code(String value, String scheme, String meaning) throws DicomException {
        AttributeList c = new AttributeList();
        put(c, com.pixelmed.dicom.TagFromName.CodeValue, value);
        put(c, com.pixelmed.dicom.TagFromName.CodingSchemeDesignator, scheme);
        put(c, com.pixelmed.dicom.TagFromName.CodeMeaning, meaning);
        return c;
    }

    public static String string(AttributeList list, AttributeTag tag) {
        return Attribute.getSingleStringValueOrEmptyString(list, tag);
    }

    /** An integer value, or {@code absent} when missing or not a number. */
    public static int integer(AttributeList list, AttributeTag tag, int absent) {
        return Attribute.getSingleIntegerValueOrDefault(list, tag, absent);
    }

    /** All values of a multi-valued string attribute (empty when absent). */
    public static String[] strings(AttributeList list, AttributeTag tag) {
        String[] v = Attribute.getStringValues(list, tag);
        return v == null ? new String[0] : v;
    }
}

package org.myoflow.dicom;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.TagFromName;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Whether the pixels a derived object is made from were ever lossy compressed, and how (PS3.3 C.7.6.1.1.5: an image
 * derived from a lossy compressed one is lossy too, "01" is never reset, and the ratios and methods of the source's
 * compressions are carried along). A source counts as lossy when it says so, or when it arrived in a lossy transfer
 * syntax (JPEG 2000 counted as lossy unless the source says "00": it may be either).
 */
public record LossyHistory(boolean lossy, List<String> ratios, List<String> methods) {
    public static final AttributeTag LOSSY_IMAGE_COMPRESSION = new AttributeTag(0x0028, 0x2110);
    public static final AttributeTag RATIO = new AttributeTag(0x0028, 0x2112);
    public static final AttributeTag METHOD = new AttributeTag(0x0028, 0x2114);

    /** Lossy transfer syntaxes and the Lossy Image Compression Method each stands for. */
    private static final Map<String, String> LOSSY_SYNTAXES = Map.of(
            "1.2.840.10008.1.2.4.50", "ISO_10918_1",  // JPEG baseline
            "1.2.840.10008.1.2.4.51", "ISO_10918_1",  // JPEG extended (12-bit)
            "1.2.840.10008.1.2.4.81", "ISO_14495_1",  // JPEG-LS near-lossless
            "1.2.840.10008.1.2.4.91", "ISO_15444_1",  // JPEG 2000
            "1.2.840.10008.1.2.4.93", "ISO_15444_2",  // JPEG 2000 part 2 multi-component
            "1.2.840.10008.1.2.4.203", "ISO_15444_15"); // high-throughput JPEG 2000

    public static LossyHistory of(List<AttributeList> sources) {
        boolean lossy = false;
        List<String> ratios = new ArrayList<>();
        List<String> methods = new ArrayList<>();
        for (AttributeList s : sources) {
            String flag = Attrs.string(s, LOSSY_IMAGE_COMPRESSION);
            String syntaxMethod = LOSSY_SYNTAXES.get(Attrs.string(s, TagFromName.TransferSyntaxUID));
            if (!"01".equals(flag) && (syntaxMethod == null || "00".equals(flag))) {
                continue;
            }
            lossy = true;
            if (methods.isEmpty()) { // the first lossy source's history stands for the series
                ratios.addAll(List.of(Attrs.strings(s, RATIO)));
                methods.addAll(List.of(Attrs.strings(s, METHOD)));
                if (methods.isEmpty() && syntaxMethod != null) {
                    methods.add(syntaxMethod);
                }
            }
        }
        return new LossyHistory(lossy, List.copyOf(ratios), List.copyOf(methods));
    }

    /** Lossy Image Compression, and when lossy the ratios and methods known. */
    public void putInto(AttributeList l) throws DicomException {
        Attrs.put(l, LOSSY_IMAGE_COMPRESSION, lossy ? "01" : "00");
        if (lossy && !ratios.isEmpty()) {
            Attrs.put(l, RATIO, ratios.toArray(String[]::new));
        }
        if (lossy && !methods.isEmpty()) {
            Attrs.put(l, METHOD, methods.toArray(String[]::new));
        }
    }
}

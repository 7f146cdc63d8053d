package org.myoflow.dicom.results;

import static org.myoflow.dicom.Attrs.put;
import static org.myoflow.dicom.Attrs.putEmpty;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.AttributeTagAttribute;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.OtherByteAttribute;
import com.pixelmed.dicom.TagFromName;
import org.myoflow.dicom.LossyHistory;
import org.myoflow.dicom.volume.DicomGeometry;
import org.myoflow.model.volume.BinaryMask;
import org.myoflow.model.volume.Grid;
import org.myoflow.model.volume.Volume;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * The segmentation burned into the source slices for PACS viewers that cannot draw SEG: a Multi-frame True Color
 * Secondary Capture, one frame per slice holding myocardium, in the order of the source planes along their normal.
 * Each frame shows the slice in grey (scaled up so the legend is legible), the myocardium filled translucent and
 * outlined in colour, and a legend band saying what it is and which model made it.
 */
public final class OverlayWriter {
    public static final String MULTIFRAME_TRUE_COLOR_SC = "1.2.840.10008.5.1.4.1.1.7.4";
    private static final AttributeTag CONVERSION_TYPE = new AttributeTag(0x0008, 0x0064);
    private static final AttributeTag PAGE_NUMBER_VECTOR = new AttributeTag(0x0018, 0x2001);
    private static final AttributeTag BURNED_IN_ANNOTATION = new AttributeTag(0x0028, 0x0301);
    private static final int LEGEND_ROWS = 40;
    private static final Color CONTOUR = new Color(255, 64, 48);
    private static final Color FILL = new Color(255, 64, 48, 70);

    private OverlayWriter() {
    }

    /** The caption every frame carries. */
    public static String caption(String modelVersion) {
        return "AI segmentation \u2014 model " + modelVersion;
    }

    /**
     * @param image the source series' volume (values as stored in the NIfTI, i.e. rescaled)
     * @param mask the segmentation on the same grid
     * @param source one source instance's header, for patient and study, and whether the series was lossy compressed
     */
    public static AttributeList build(Volume image, BinaryMask mask, AttributeList source, String modelVersion,
                                      String seriesInstanceUid, String sopInstanceUid, int seriesNumber)
            throws DicomException {
        Grid g = image.grid();
        if (!g.sameShape(mask.grid())) {
            throw new IllegalArgumentException("image " + g.shapeString() + " and mask "
                    + mask.grid().shapeString() + " differ");
        }
        DicomGeometry geo = DicomGeometry.fromAffine(g);
        List<Integer> slices = new ArrayList<>();
        for (int k = 0; k < g.nz(); k++) {
            int z = geo.frameToZ(k, g.nz());
            if (mask.anyInSlice(z)) {
                slices.add(z);
            }
        }
        if (slices.isEmpty()) {
            throw new IllegalArgumentException("the mask is empty: nothing to show");
        }
        int scale = Math.max(1, (int) Math.ceil(400.0 / Math.max(g.nx(), g.ny())));
        int width = g.nx() * scale;
        int height = g.ny() * scale + LEGEND_ROWS;
        float max = 0;
        for (float v : image.data()) {
            max = Math.max(max, v);
        }
        byte[] pixels = new byte[slices.size() * width * height * 3];
        for (int f = 0; f < slices.size(); f++) {
            BufferedImage frame = render(image, mask, slices.get(f), scale, width, height, max, modelVersion,
                    f + 1, slices.size());
            int off = f * width * height * 3;
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    int rgb = frame.getRGB(x, y);
                    int i = off + (y * width + x) * 3;
                    pixels[i] = (byte) (rgb >> 16);
                    pixels[i + 1] = (byte) (rgb >> 8);
                    pixels[i + 2] = (byte) rgb;
                }
            }
        }

        String now = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMddHHmmss"));
        AttributeList l = new AttributeList();
        put(l, TagFromName.SpecificCharacterSet, "ISO_IR 192"); // the caption's em dash
        put(l, TagFromName.SOPClassUID, MULTIFRAME_TRUE_COLOR_SC);
        put(l, TagFromName.SOPInstanceUID, sopInstanceUid);
        SourceModules.copy(source, l, SourceModules.PATIENT_AND_STUDY);
        put(l, TagFromName.Modality, "OT");
        put(l, TagFromName.SeriesInstanceUID, seriesInstanceUid);
        put(l, TagFromName.SeriesNumber, seriesNumber);
        put(l, TagFromName.SeriesDescription, caption(modelVersion));
        // 2C: dciodvfy cannot evaluate the condition and calls it missing when absent; empty draws only a warning
        putEmpty(l, TagFromName.Laterality);
        put(l, TagFromName.Manufacturer, "Myoflow");
        put(l, CONVERSION_TYPE, "WSD");
        put(l, TagFromName.InstanceNumber, 1);
        putEmpty(l, TagFromName.PatientOrientation);
        put(l, TagFromName.ContentDate, now.substring(0, 8));
        put(l, TagFromName.ContentTime, now.substring(8));
        put(l, TagFromName.ImageType, "DERIVED", "SECONDARY");
        put(l, TagFromName.ImageComments, caption(modelVersion) + "; not reviewed");
        put(l, BURNED_IN_ANNOTATION, "YES");
        LossyHistory.of(List.of(source)).putInto(l); // Lossy Image Compression: the source's (series are uniform)
        put(l, TagFromName.SamplesPerPixel, 3);
        put(l, TagFromName.PhotometricInterpretation, "RGB");
        put(l, TagFromName.PlanarConfiguration, 0);
        put(l, TagFromName.Rows, height);
        put(l, TagFromName.Columns, width);
        put(l, TagFromName.BitsAllocated, 8);
        put(l, TagFromName.BitsStored, 8);
        put(l, TagFromName.HighBit, 7);
        put(l, TagFromName.PixelRepresentation, 0);
        put(l, TagFromName.NumberOfFrames, slices.size());
        AttributeTagAttribute pointer = new AttributeTagAttribute(TagFromName.FrameIncrementPointer);
        pointer.addValue(PAGE_NUMBER_VECTOR);
        l.put(pointer);
        int[] pages = new int[slices.size()];
        for (int i = 0; i < pages.length; i++) {
            pages[i] = i + 1;
        }
        com.pixelmed.dicom.IntegerStringAttribute pageVector =
                new com.pixelmed.dicom.IntegerStringAttribute(PAGE_NUMBER_VECTOR);
        for (int p : pages) {
            pageVector.addValue(p);
        }
        l.put(pageVector);
        OtherByteAttribute pd = new OtherByteAttribute(TagFromName.PixelData);
        pd.setValues(pixels.length % 2 == 0 ? pixels : java.util.Arrays.copyOf(pixels, pixels.length + 1));
        l.put(pd);
        return l;
    }

    private static BufferedImage render(Volume image, BinaryMask mask, int z, int scale, int width, int height,
                                        float max, String modelVersion, int frame, int frames) {
        Grid g = image.grid();
        BufferedImage b = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < g.ny(); y++) {
            for (int x = 0; x < g.nx(); x++) {
                int v = max <= 0 ? 0 : Math.max(0, Math.min(255, Math.round(image.get(x, y, z) / max * 255)));
                int rgb = (v << 16) | (v << 8) | v;
                for (int dy = 0; dy < scale; dy++) {
                    for (int dx = 0; dx < scale; dx++) {
                        b.setRGB(x * scale + dx, y * scale + dy, rgb);
                    }
                }
            }
        }
        Graphics2D g2 = b.createGraphics();
        g2.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g2.setColor(FILL);
        for (int y = 0; y < g.ny(); y++) {
            for (int x = 0; x < g.nx(); x++) {
                if (mask.get(x, y, z)) {
                    g2.fillRect(x * scale, y * scale, scale, scale);
                }
            }
        }
        // outline: the edges between a mask voxel and a non-mask neighbour
        g2.setColor(CONTOUR);
        g2.setStroke(new BasicStroke(Math.max(1f, scale / 3f)));
        for (int y = 0; y < g.ny(); y++) {
            for (int x = 0; x < g.nx(); x++) {
                if (!mask.get(x, y, z)) {
                    continue;
                }
                int x0 = x * scale, y0 = y * scale, x1 = x0 + scale, y1 = y0 + scale;
                if (x == 0 || !mask.get(x - 1, y, z)) {
                    g2.drawLine(x0, y0, x0, y1);
                }
                if (x == g.nx() - 1 || !mask.get(x + 1, y, z)) {
                    g2.drawLine(x1, y0, x1, y1);
                }
                if (y == 0 || !mask.get(x, y - 1, z)) {
                    g2.drawLine(x0, y0, x1, y0);
                }
                if (y == g.ny() - 1 || !mask.get(x, y + 1, z)) {
                    g2.drawLine(x0, y1, x1, y1);
                }
            }
        }
        int top = g.ny() * scale;
        g2.setColor(Color.BLACK);
        g2.fillRect(0, top, width, LEGEND_ROWS);
        g2.setColor(CONTOUR);
        g2.fillRect(8, top + 8, 14, 14);
        g2.setColor(Color.WHITE);
        g2.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        g2.drawString(caption(modelVersion), 30, top + 20);
        g2.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        g2.drawString("LV myocardium, not reviewed. Frame " + frame + "/" + frames + ", slice " + (z + 1) + "/"
                + g.nz(), 30, top + 34);
        g2.dispose();
        return b;
    }
}

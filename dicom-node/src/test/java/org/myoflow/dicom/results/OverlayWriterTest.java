package org.myoflow.dicom.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myoflow.dicom.LossyHistory;
import org.myoflow.dicom.DicomTools;
import org.myoflow.dicom.simulator.NmReconTomoWriter;
import org.myoflow.dicom.simulator.StudyIdentity;
import org.myoflow.model.phantom.PhantomCase;
import org.myoflow.model.phantom.PhantomOptions;
import org.myoflow.model.phantom.SpectPhantom;
import org.myoflow.model.volume.BinaryMask;
import org.myoflow.model.volume.Grid;
import org.myoflow.model.volume.Volume;

/**
 * The secondary-capture overlay: dciodvfy finds no errors; read back, a frame is the source slice in grey with the
 * myocardium in colour exactly where the mask is, and a legend band. The middle frame is written as a PNG under
 * {@code target/} for a person to look at.
 */
class OverlayWriterTest {

    @Test
    void overlayOfNmMultiFrame(@TempDir Path dir) throws Exception {
        PhantomCase p = SpectPhantom.generate("sc", 25, PhantomOptions.challenging(1));
        Path src = dir.resolve("nm.dcm");
        NmReconTomoWriter.write(p.image(), StudyIdentity.forSeed(25), 1, src);
        check(List.of(src), "1.2.840.10008.5.1.4.1.1.20", p, dir, Path.of("target", "overlay-frame.png"));
    }

    @Test
    void overlaysOfPetCtAndEnhancedMr(@TempDir Path dir) throws Exception {
        PhantomCase p = SpectPhantom.generate("sc", 27, PhantomOptions.normal());
        StudyIdentity id = StudyIdentity.forSeed(27);
        check(org.myoflow.dicom.simulator.PetStackWriter.write(p.image(), id, 2, 100,
                Files.createDirectories(dir.resolve("pet"))), "1.2.840.10008.5.1.4.1.1.128", p, dir, null);
        check(org.myoflow.dicom.simulator.CtStackWriter.write(p.image(), id, 3, 100,
                Files.createDirectories(dir.resolve("ct"))), "1.2.840.10008.5.1.4.1.1.2", p, dir, null);
        Path mr = dir.resolve("mr.dcm");
        org.myoflow.dicom.simulator.EnhancedMrWriter.write(p.image(), id, 4, 100, mr);
        check(List.of(mr), org.myoflow.dicom.simulator.EnhancedMrWriter.ENHANCED_MR, p, dir, null);
    }

    @Test
    void anOverlayOfALossyCompressedSeriesSaysSo(@TempDir Path dir) throws Exception {
        PhantomCase p = SpectPhantom.generate("sc", 28, PhantomOptions.normal());
        Path src = dir.resolve("nm.dcm");
        NmReconTomoWriter.write(p.image(), StudyIdentity.forSeed(28), 1, src);
        Volume image = org.myoflow.dicom.volume.SeriesVolumes.read(List.of(src), "1.2.840.10008.5.1.4.1.1.20");
        BinaryMask mask = new BinaryMask(image.grid(), p.myocardium().data().clone());
        AttributeList header = new AttributeList();
        header.read(src.toFile(), TagFromName.PixelData);
        assertEquals("00", org.myoflow.dicom.Attrs.string(OverlayWriter.build(image, mask, header, "v1",
                Uids.derived("sc-series"), Uids.derived("sc"), 9002), LossyHistory.LOSSY_IMAGE_COMPRESSION));
        org.myoflow.dicom.Attrs.put(header, TagFromName.TransferSyntaxUID, "1.2.840.10008.1.2.4.91"); // JPEG 2000
        AttributeList sc = OverlayWriter.build(image, mask, header, "v1", Uids.derived("sc-series"),
                Uids.derived("sc"), 9002);
        assertEquals("01", org.myoflow.dicom.Attrs.string(sc, LossyHistory.LOSSY_IMAGE_COMPRESSION));
        assertEquals("ISO_15444_1", org.myoflow.dicom.Attrs.string(sc, LossyHistory.METHOD));
    }

    private static void check(List<Path> sources, String sopClass, PhantomCase p, Path dir, Path pngOut)
            throws Exception {
        Volume image = org.myoflow.dicom.volume.SeriesVolumes.read(sources, sopClass);
        BinaryMask mask = new BinaryMask(image.grid(), p.myocardium().data().clone());
        AttributeList header = new AttributeList();
        header.read(sources.get(0).toFile(), TagFromName.PixelData);

        AttributeList sc = OverlayWriter.build(image, mask, header, "v1", Uids.derived("sc-series"),
                Uids.derived("sc"), 9002);
        Path file = dir.resolve("sc.dcm");
        FileMetaInformation.addFileMetaInformation(sc, TransferSyntax.ExplicitVRLittleEndian, "TEST");
        sc.write(file.toFile(), TransferSyntax.ExplicitVRLittleEndian, true, true);
        List<String> errors = DicomTools.dciodvfyErrors(file);
        assertTrue(errors.isEmpty(), "dciodvfy errors: " + errors);
        System.out.println("dciodvfy warnings on SC from " + sopClass + ": " + DicomTools.dciodvfyWarnings(file));

        AttributeList read = new AttributeList();
        read.read(file.toFile());
        int rows = Attribute.getSingleIntegerValueOrDefault(read, TagFromName.Rows, 0);
        int cols = Attribute.getSingleIntegerValueOrDefault(read, TagFromName.Columns, 0);
        int frames = Attribute.getSingleIntegerValueOrDefault(read, TagFromName.NumberOfFrames, 0);
        Grid g = image.grid();
        int slicesWithMask = 0;
        for (int z = 0; z < g.nz(); z++) {
            slicesWithMask += mask.anyInSlice(z) ? 1 : 0;
        }
        assertEquals(slicesWithMask, frames);
        byte[] px = read.get(TagFromName.PixelData).getByteValues();
        int scale = cols / g.nx();
        // the middle frame; frames run along the slice normal (z order for this phantom)
        int f = frames / 2;
        int z = -1;
        for (int k = 0, seen = -1; k < g.nz(); k++) {
            if (mask.anyInSlice(k) && ++seen == f) {
                z = k;
            }
        }
        BufferedImage png = new BufferedImage(cols, rows, BufferedImage.TYPE_INT_RGB);
        int reddish = 0, grey = 0, masked = 0, unmasked = 0;
        for (int y = 0; y < rows; y++) {
            for (int x = 0; x < cols; x++) {
                int i = ((f * rows + y) * cols + x) * 3;
                int r = px[i] & 0xff, gr = px[i + 1] & 0xff, b = px[i + 2] & 0xff;
                png.setRGB(x, y, (r << 16) | (gr << 8) | b);
                // sample voxel centres only, away from the outline strokes
                if (y < g.ny() * scale && x % scale == scale / 2 && y % scale == scale / 2) {
                    if (mask.get(x / scale, y / scale, z)) {
                        masked++;
                        reddish += r > gr + 20 && r > b + 20 ? 1 : 0;
                    } else if (!near(mask, x / scale, y / scale, z)) {
                        unmasked++;
                        grey += r == gr && gr == b ? 1 : 0;
                    }
                }
            }
        }
        assertEquals(masked, reddish, "every myocardium voxel is coloured");
        assertEquals(unmasked, grey, "everything away from the myocardium is the grey slice");
        int legendInk = 0;
        for (int y = g.ny() * scale; y < rows; y++) {
            for (int x = 0; x < cols; x++) {
                legendInk += (png.getRGB(x, y) & 0xffffff) != 0 ? 1 : 0;
            }
        }
        assertTrue(legendInk > 500, "a legend is drawn");
        if (pngOut != null) {
            Files.createDirectories(pngOut.getParent());
            ImageIO.write(png, "png", pngOut.toFile());
        }
    }

    private static boolean near(BinaryMask m, int x, int y, int z) {
        Grid g = m.grid();
        for (int dy = -1; dy <= 1; dy++) {
            for (int dx = -1; dx <= 1; dx++) {
                if (g.contains(x + dx, y + dy, z) && m.get(x + dx, y + dy, z)) {
                    return true;
                }
            }
        }
        return false;
    }
}

package org.myoflow.dicom.volume;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myoflow.dicom.Attrs;
import org.myoflow.dicom.DicomTools;
import org.myoflow.dicom.simulator.CtStackWriter;
import org.myoflow.dicom.simulator.StudyIdentity;
import org.myoflow.model.io.Nifti;
import org.myoflow.model.phantom.SpectPhantom;
import org.myoflow.model.phantom.PhantomOptions;
import org.myoflow.model.volume.Volume;

/** Single-frame stacks: conformant, ordered by position (not Instance Number), as dcm2niix reads them; bad ones refused. */
class SingleFrameStackTest {
    private static final double SCALE = 100;

    private static Volume source() {
        return SpectPhantom.generate("ct", 8, PhantomOptions.normal()).image();
    }

    @Test
    void stackIsConformantAndReadsBackAsDcm2niixReadsIt(@TempDir Path dir) throws Exception {
        Volume v = source();
        Path in = Files.createDirectories(dir.resolve("in"));
        List<Path> files = CtStackWriter.write(v, StudyIdentity.forSeed(8), 2, SCALE, in);
        List<String> errors = DicomTools.dciodvfyErrors(files.get(files.size() / 2));
        assertTrue(errors.isEmpty(), "dciodvfy errors: " + errors);

        // shuffled, and Instance Numbers scrambled: order must come from the positions
        List<AttributeList> lists = new ArrayList<>();
        for (Path f : files) {
            AttributeList l = new AttributeList();
            l.read(f.toFile());
            lists.add(l);
        }
        Collections.shuffle(lists, new Random(1));
        for (int i = 0; i < lists.size(); i++) {
            Attrs.put(lists.get(i), TagFromName.InstanceNumber, i + 1);
        }
        Volume ours = SingleFrameStackVolume.read(lists);
        Volume expected = v.copy();
        for (int i = 0; i < expected.data().length; i++) {
            expected.data()[i] = (float) (Math.round(expected.data()[i] * SCALE) / SCALE);
        }
        org.myoflow.dicom.VolumeAssertions.assertSamePhysicalVoxels(expected, ours, "our reader vs the source");
        Volume theirs = Nifti.readVolume(DicomTools.dcm2niix(in, Files.createDirectories(dir.resolve("out")), "ct"));
        org.myoflow.dicom.VolumeAssertions.assertSamePhysicalVoxels(ours, theirs, "our reader vs dcm2niix");
    }

    @Test
    void petStackIsConformantAndReadsBackAsDcm2niixReadsIt(@TempDir Path dir) throws Exception {
        Volume v = source();
        Path in = Files.createDirectories(dir.resolve("in"));
        List<Path> files = org.myoflow.dicom.simulator.PetStackWriter.write(v, StudyIdentity.forSeed(9), 3, SCALE, in);
        List<String> errors = DicomTools.dciodvfyErrors(files.get(files.size() / 2));
        assertTrue(errors.isEmpty(), "dciodvfy errors: " + errors);
        List<AttributeList> lists = new ArrayList<>();
        for (Path f : files) {
            AttributeList l = new AttributeList();
            l.read(f.toFile());
            lists.add(l);
        }
        Collections.shuffle(lists, new Random(2));
        Volume ours = SingleFrameStackVolume.read(lists);
        Volume expected = v.copy();
        for (int i = 0; i < expected.data().length; i++) {
            expected.data()[i] = (float) (Math.round(expected.data()[i] * SCALE) / SCALE);
        }
        org.myoflow.dicom.VolumeAssertions.assertSamePhysicalVoxels(expected, ours, "PET: our reader vs the source");
        Volume theirs = Nifti.readVolume(DicomTools.dcm2niix(in, Files.createDirectories(dir.resolve("out")), "pt"));
        org.myoflow.dicom.VolumeAssertions.assertSamePhysicalVoxels(ours, theirs, "PET: our reader vs dcm2niix");
    }

    @Test
    void refusesMissingSlicesTiltAndMixedOrientations() throws Exception {
        List<AttributeList> stack = CtStackWriter.build(source(), StudyIdentity.forSeed(8), 2, SCALE);

        List<AttributeList> gap = new ArrayList<>(stack);
        gap.remove(gap.size() / 2);
        SeriesVolumeException e = assertThrows(SeriesVolumeException.class, () -> SingleFrameStackVolume.read(gap));
        assertTrue(e.getMessage().contains("non-uniform slice spacing"), e.getMessage());

        List<AttributeList> tilted = CtStackWriter.build(source(), StudyIdentity.forSeed(8), 2, SCALE);
        for (int k = 0; k < tilted.size(); k++) { // shear the stack along y: each slice 0.5 mm further
            double[] p = com.pixelmed.dicom.Attribute.getDoubleValues(tilted.get(k), TagFromName.ImagePositionPatient);
            Attrs.put(tilted.get(k), TagFromName.ImagePositionPatient, p[0], p[1] + 0.5 * k, p[2]);
        }
        e = assertThrows(SeriesVolumeException.class, () -> SingleFrameStackVolume.read(tilted));
        assertTrue(e.getMessage().contains("gantry tilt"), e.getMessage());

        List<AttributeList> mixed = CtStackWriter.build(source(), StudyIdentity.forSeed(8), 2, SCALE);
        Attrs.put(mixed.get(3), TagFromName.ImageOrientationPatient, 1, 0, 0, 0, 0, -1);
        e = assertThrows(SeriesVolumeException.class, () -> SingleFrameStackVolume.read(mixed));
        assertTrue(e.getMessage().contains("mixed orientations"), e.getMessage());
    }

    /**
     * A DS value that parses to NaN or infinity is refused with its name. Before, a slice at NaN passed every
     * spacing check (NaN compares false with each tolerance) and took a place in the volume, an infinite Pixel
     * Spacing made a NaN affine, and a NaN Rescale Slope NaN voxels.
     */
    @Test
    void refusesGeometryAndRescaleValuesThatAreNotFiniteNumbers() throws Exception {
        record Odd(int instance, com.pixelmed.dicom.AttributeTag tag, String value, String named) {
        }
        for (Odd odd : List.of(new Odd(0, TagFromName.ImagePositionPatient, "NaN\\0\\0", "Image Position"),
                new Odd(7, TagFromName.ImagePositionPatient, "1e999\\0\\0", "Image Position"),
                new Odd(5, TagFromName.ImageOrientationPatient, "1\\0\\0\\0\\NaN\\0", "Image Orientation"),
                new Odd(0, TagFromName.PixelSpacing, "1e999\\1e999", "Pixel Spacing"),
                new Odd(0, TagFromName.PixelSpacing, "0\\3", "Pixel Spacing"),
                new Odd(9, TagFromName.RescaleSlope, "NaN", "Rescale Slope"))) {
            List<AttributeList> stack = CtStackWriter.build(source(), StudyIdentity.forSeed(8), 2, SCALE);
            Attrs.put(stack.get(odd.instance()), odd.tag(), odd.value().split("\\\\"));
            SeriesVolumeException e = assertThrows(SeriesVolumeException.class,
                    () -> SingleFrameStackVolume.read(stack), odd.toString());
            assertTrue(e.getMessage().startsWith(odd.named()), e.getMessage());
        }
    }
}

package org.myoflow.dicom.volume;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pixelmed.dicom.AttributeList;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myoflow.dicom.DicomTools;
import org.myoflow.dicom.VolumeAssertions;
import org.myoflow.dicom.simulator.NmReconTomoWriter;
import org.myoflow.dicom.simulator.StudyIdentity;
import org.myoflow.model.io.Nifti;
import org.myoflow.model.phantom.PhantomCase;
import org.myoflow.model.phantom.PhantomOptions;
import org.myoflow.model.phantom.SpectPhantom;
import org.myoflow.model.volume.Affine;
import org.myoflow.model.volume.Grid;
import org.myoflow.model.volume.Volume;

/** A phantom as NM multi-frame RECON TOMO: valid for dciodvfy, read back exactly, and as dcm2niix sees it. */
class NmReconTomoRoundTripTest {

    @Test
    void phantomStudyIsConformantAndReadsBackAsDcm2niixReadsIt(@TempDir Path dir) throws Exception {
        PhantomCase p = SpectPhantom.generate("nm", 3, PhantomOptions.normal());
        check(p.image(), dir);
    }

    @Test
    void zAgainstTheSliceNormalIsWrittenInNormalOrder(@TempDir Path dir) throws Exception {
        Volume v = SpectPhantom.generate("nm", 4, PhantomOptions.challenging(1)).image();
        Grid g = v.grid();
        Affine a = g.affine();
        // flip z: same voxels, z index now runs inferior
        Affine flipped = a.multiply(new Affine(new double[] {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, -1, g.nz() - 1}));
        float[] d = new float[g.size()];
        int plane = g.nx() * g.ny();
        for (int z = 0; z < g.nz(); z++) {
            System.arraycopy(v.data(), (g.nz() - 1 - z) * plane, d, z * plane, plane);
        }
        Volume reversed = new Volume(new Grid(g.nx(), g.ny(), g.nz(), flipped), d);
        assertTrue(DicomGeometry.fromAffine(reversed.grid()).reversed());
        check(reversed, dir);
    }

    /** As for stacks: a DS that parses to NaN or infinity is refused with its name, never a volume. */
    @Test
    void refusesGeometryThatIsNotFiniteNumbers() throws Exception {
        Volume v = SpectPhantom.generate("nm", 5, PhantomOptions.normal()).image();
        for (String[] odd : new String[][] {{"SpacingBetweenSlices", "NaN"}, {"PixelSpacing", "1e999"}}) {
            AttributeList l = NmReconTomoWriter.build(v, StudyIdentity.forSeed(5), 1);
            com.pixelmed.dicom.AttributeTag tag = odd[0].equals("PixelSpacing")
                    ? com.pixelmed.dicom.TagFromName.PixelSpacing : com.pixelmed.dicom.TagFromName.SpacingBetweenSlices;
            org.myoflow.dicom.Attrs.put(l, tag, odd[0].equals("PixelSpacing") ? new String[] {odd[1], odd[1]}
                    : new String[] {odd[1]});
            SeriesVolumeException e = org.junit.jupiter.api.Assertions.assertThrows(SeriesVolumeException.class,
                    () -> NmMultiFrameVolume.read(l));
            assertTrue(e.getMessage().contains("not a finite number"), e.getMessage());
        }
    }

    private static void check(Volume source, Path dir) throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        Path file = in.resolve("nm.dcm");
        NmReconTomoWriter.write(source, StudyIdentity.forSeed(3), 1, file);

        List<String> errors = DicomTools.dciodvfyErrors(file);
        assertTrue(errors.isEmpty(), "dciodvfy errors: " + errors);

        AttributeList l = new AttributeList();
        l.read(file.toFile());
        Volume ours = NmMultiFrameVolume.read(l);
        Volume rounded = source.copy();
        for (int i = 0; i < rounded.data().length; i++) {
            rounded.data()[i] = Math.round(rounded.data()[i]);
        }
        VolumeAssertions.assertSamePhysicalVoxels(rounded, ours, "our reader vs the source");

        Volume theirs = Nifti.readVolume(DicomTools.dcm2niix(in, Files.createDirectories(dir.resolve("out")), "nm"));
        VolumeAssertions.assertSamePhysicalVoxels(ours, theirs, "our reader vs dcm2niix");
    }
}

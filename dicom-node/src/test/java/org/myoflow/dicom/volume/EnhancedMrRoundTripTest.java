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
import org.myoflow.dicom.simulator.EnhancedMrWriter;
import org.myoflow.dicom.simulator.StudyIdentity;
import org.myoflow.model.io.Nifti;
import org.myoflow.model.phantom.PhantomOptions;
import org.myoflow.model.phantom.SpectPhantom;
import org.myoflow.model.volume.Volume;

/** Enhanced MR multi-frame: conformant, read back through the per-frame functional groups, as dcm2niix reads it. */
class EnhancedMrRoundTripTest {
    private static final double SCALE = 100;

    @Test
    void enhancedMrIsConformantAndReadsBackAsDcm2niixReadsIt(@TempDir Path dir) throws Exception {
        Volume v = SpectPhantom.generate("mr", 12, PhantomOptions.normal()).image();
        Path in = Files.createDirectories(dir.resolve("in"));
        Path file = in.resolve("mr.dcm");
        EnhancedMrWriter.write(v, StudyIdentity.forSeed(12), 4, SCALE, file);
        List<String> errors = DicomTools.dciodvfyErrors(file);
        assertTrue(errors.isEmpty(), "dciodvfy errors: " + errors);

        AttributeList l = new AttributeList();
        l.read(file.toFile());
        Volume ours = EnhancedMultiFrameVolume.read(l);
        Volume expected = v.copy();
        for (int i = 0; i < expected.data().length; i++) {
            expected.data()[i] = (float) (Math.round(Math.max(0, expected.data()[i]) * SCALE) / SCALE);
        }
        VolumeAssertions.assertSamePhysicalVoxels(expected, ours, "our reader vs the source");
        Volume theirs = Nifti.readVolume(DicomTools.dcm2niix(in, Files.createDirectories(dir.resolve("out")), "mr"));
        VolumeAssertions.assertSamePhysicalVoxels(ours, theirs, "our reader vs dcm2niix");
    }
}

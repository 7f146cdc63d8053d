package org.myoflow.dicom.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.UniqueIdentifierAttribute;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myoflow.dicom.Attrs;
import org.myoflow.dicom.simulator.CtStackWriter;
import org.myoflow.dicom.simulator.StudyIdentity;
import org.myoflow.dicom.volume.SeriesVolumes;
import org.myoflow.model.io.Nifti;
import org.myoflow.model.io.NiftiDataType;
import org.myoflow.model.phantom.PhantomOptions;
import org.myoflow.model.phantom.SpectPhantom;
import org.myoflow.model.volume.BinaryMask;
import org.myoflow.model.volume.Volume;

/**
 * A SEG sent back for a study Myoflow segmented becomes a reviewed label; one that is malformed is "not a label" with
 * its reason, never an exception that would have its study's conversion retried for ever.
 */
class ReviewedLabelsTest {
    private static final String CT = "1.2.840.10008.5.1.4.1.1.2";

    @TempDir
    Path root;
    @TempDir
    Path scanner;

    @Test
    void aMalformedSegIsNotALabelWithItsReasonNotAFailureToRetry() throws Exception {
        StudyIdentity id = StudyIdentity.forSeed(41);
        List<Path> ct = CtStackWriter.write(SpectPhantom.generate("rl", 41, PhantomOptions.normal()).image(), id, 2,
                100, scanner);
        Volume v = SeriesVolumes.read(ct, CT);
        List<AttributeList> sources = new ArrayList<>();
        for (Path f : ct) {
            AttributeList l = new AttributeList();
            l.read(f.toFile(), TagFromName.PixelData);
            sources.add(l);
        }
        String series = Attrs.string(sources.get(0), TagFromName.SeriesInstanceUID);
        Path study = Files.createDirectories(root.resolve("studies").resolve(id.studyInstanceUid()).resolve("r1"));
        Nifti.write(study.resolve(series + ".nii.gz"), v, NiftiDataType.FLOAT32);
        Files.writeString(Files.createDirectories(study.resolve("myoflow-v1")).resolve("completed.json"), "{}");
        BinaryMask mask = BinaryMask.empty(v.grid());
        for (int z = 10; z < 30; z++) {
            mask.set(30, 30, z, true);
        }
        ReviewedLabels labels = new ReviewedLabels(root);

        Path intact = seg(mask, sources, "2.25.71", l -> { });
        assertEquals(20, labels.store(id.studyInstanceUid(), intact).voxels(), "the intact SEG is a label");

        Path notASequence = seg(mask, sources, "2.25.72", l -> {
            UniqueIdentifierAttribute uid = new UniqueIdentifierAttribute(new AttributeTag(0x0008, 0x1115));
            uid.addValue(series);
            l.put(uid); // Referenced Series Sequence as a UID, not a sequence
        });
        String why = notALabel(labels, id, notASequence);
        assertTrue(why.contains("references no series"), why);

        Path noPixels = seg(mask, sources, "2.25.73", l -> l.remove(TagFromName.PixelData));
        why = notALabel(labels, id, noPixels);
        assertTrue(why.startsWith("a SEG Myoflow cannot read"), why);

        Path tooFewBits = seg(mask, sources, "2.25.74", l -> { // 64 bits where the frames need thousands
            com.pixelmed.dicom.OtherByteAttribute pixels = new com.pixelmed.dicom.OtherByteAttribute(
                    TagFromName.PixelData);
            pixels.setValues(new byte[8]);
            l.put(pixels);
        });
        why = notALabel(labels, id, tooFewBits);
        assertTrue(why.startsWith("a SEG Myoflow cannot read"), why);
    }

    private interface Damage {
        void apply(AttributeList seg) throws Exception;
    }

    private static String notALabel(ReviewedLabels labels, StudyIdentity id, Path seg) {
        return assertThrows(ReviewedLabels.NotALabelException.class,
                () -> labels.store(id.studyInstanceUid(), seg)).getMessage();
    }

    private Path seg(BinaryMask mask, List<AttributeList> sources, String sop, Damage damage)
            throws Exception {
        AttributeList seg = SegmentationWriter.build(mask, sources, SegmentationWriter.Segment.lvMyocardium("v1"),
                "2.25.70", sop, 77);
        Attrs.put(seg, TagFromName.Manufacturer, "Reading Room Workstation");
        damage.apply(seg);
        Path file = scanner.resolve(sop + ".dcm");
        SegmentationWriter.write(seg, file);
        return file;
    }
}

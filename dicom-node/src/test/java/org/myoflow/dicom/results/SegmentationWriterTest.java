package org.myoflow.dicom.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myoflow.dicom.LossyHistory;
import org.myoflow.dicom.Attrs;
import org.myoflow.dicom.DicomTools;
import org.myoflow.dicom.simulator.NmReconTomoWriter;
import org.myoflow.dicom.simulator.PetStackWriter;
import org.myoflow.dicom.simulator.StudyIdentity;
import org.myoflow.dicom.volume.SeriesVolumes;
import org.myoflow.model.io.Nifti;
import org.myoflow.model.phantom.PhantomCase;
import org.myoflow.model.phantom.PhantomOptions;
import org.myoflow.model.phantom.SpectPhantom;
import org.myoflow.model.volume.BinaryMask;
import org.myoflow.model.volume.Volume;

/**
 * A SEG of the phantom's myocardium on NM multi-frame, PET and CT single-frame and enhanced MR sources: zero dciodvfy errors, and pydicom
 * decoding it by plane position (not frame order) gets exactly the mask back on the source grid, each frame
 * referencing the source plane at its position.
 */
class SegmentationWriterTest {

    @Test
    void nmMultiFrameSource(@TempDir Path dir) throws Exception {
        PhantomCase p = SpectPhantom.generate("seg-nm", 21, PhantomOptions.normal());
        Path src = dir.resolve("src/nm.dcm");
        Files.createDirectories(src.getParent());
        NmReconTomoWriter.write(p.image(), StudyIdentity.forSeed(21), 1, src);
        check(List.of(src), p, dir, "1.2.840.10008.5.1.4.1.1.20");
    }

    @Test
    void petSingleFrameStack(@TempDir Path dir) throws Exception {
        PhantomCase p = SpectPhantom.generate("seg-pet", 22, PhantomOptions.challenging(2));
        List<Path> src = PetStackWriter.write(p.image(), StudyIdentity.forSeed(22), 2, 100,
                Files.createDirectories(dir.resolve("src")));
        check(src, p, dir, "1.2.840.10008.5.1.4.1.1.128");
    }

    @Test
    void ctSingleFrameStack(@TempDir Path dir) throws Exception {
        PhantomCase p = SpectPhantom.generate("seg-ct", 23, PhantomOptions.normal());
        List<Path> src = org.myoflow.dicom.simulator.CtStackWriter.write(p.image(), StudyIdentity.forSeed(23), 3, 100,
                Files.createDirectories(dir.resolve("src")));
        check(src, p, dir, "1.2.840.10008.5.1.4.1.1.2");
    }

    @Test
    void enhancedMrMultiFrame(@TempDir Path dir) throws Exception {
        PhantomCase p = SpectPhantom.generate("seg-mr", 24, PhantomOptions.challenging(1));
        Path src = dir.resolve("src/mr.dcm");
        Files.createDirectories(src.getParent());
        org.myoflow.dicom.simulator.EnhancedMrWriter.write(p.image(), StudyIdentity.forSeed(24), 4, 100, src);
        check(List.of(src), p, dir, org.myoflow.dicom.simulator.EnhancedMrWriter.ENHANCED_MR);
    }

    /**
     * Against flipped or shifted SEGs: the same phantom on an oblique grid (rotated 30 degrees in-plane and tilted),
     * with x mirrored and z running against the slice normal, as a PET stack. Any flip, transposition or off-by-one
     * in the writer's geometry shows up as differing voxels in both independent readers.
     */
    @Test
    void obliqueMirroredReversedGrid(@TempDir Path dir) throws Exception {
        PhantomCase p = SpectPhantom.generate("seg-oblique", 26, PhantomOptions.normal());
        org.myoflow.model.volume.Grid g = p.image().grid();
        double a = Math.toRadians(30), b = Math.toRadians(12);
        double[][] rot = {{Math.cos(a), -Math.sin(a), 0}, {Math.sin(a) * Math.cos(b), Math.cos(a) * Math.cos(b),
            -Math.sin(b)}, {Math.sin(a) * Math.sin(b), Math.cos(a) * Math.sin(b), Math.cos(b)}};
        double[] sp = g.spacing();
        double[] m = new double[12];
        for (int r = 0; r < 3; r++) {
            m[r * 4] = -rot[r][0] * sp[0];                  // x mirrored
            m[r * 4 + 1] = rot[r][1] * sp[1];
            m[r * 4 + 2] = -rot[r][2] * sp[2];              // z against the normal
            m[r * 4 + 3] = new double[] {40, -25, 60}[r];
        }
        org.myoflow.model.volume.Grid oblique = new org.myoflow.model.volume.Grid(g.nx(), g.ny(), g.nz(),
                new org.myoflow.model.volume.Affine(m));
        PhantomCase moved = new PhantomCase(p.id(), new Volume(oblique, p.image().data()),
                new BinaryMask(oblique, p.myocardium().data()), new BinaryMask(oblique, p.cavity().data()),
                p.parameters());
        List<Path> src = PetStackWriter.write(moved.image(), StudyIdentity.forSeed(26), 5, 100,
                Files.createDirectories(dir.resolve("src")));
        check(src, moved, dir, "1.2.840.10008.5.1.4.1.1.128");
    }

    /** The FRACTIONAL option: probabilities in steps of 1/255, conformant, read back as the mask at one half. */
    @Test
    void fractionalProbabilities(@TempDir Path dir) throws Exception {
        PhantomCase p = SpectPhantom.generate("seg-frac", 28, PhantomOptions.normal());
        Path src = dir.resolve("nm.dcm");
        NmReconTomoWriter.write(p.image(), StudyIdentity.forSeed(28), 1, src);
        Volume v = SeriesVolumes.read(List.of(src), "1.2.840.10008.5.1.4.1.1.20");
        BinaryMask mask = onGrid(p.myocardium(), v.grid());
        float[] prob = new float[mask.data().length];
        java.util.Random rnd = new java.util.Random(1);
        for (int i = 0; i < prob.length; i++) {
            prob[i] = mask.data()[i] ? 0.5f + 0.5f * rnd.nextFloat() : 0.49f * rnd.nextFloat();
        }
        AttributeList header = new AttributeList();
        header.read(src.toFile(), TagFromName.PixelData);
        AttributeList seg = SegmentationWriter.build(mask, prob, List.of(header),
                SegmentationWriter.Segment.lvMyocardium("v1"), Uids.derived("frac-series"), Uids.derived("frac"), 902);
        Path file = dir.resolve("frac.dcm");
        SegmentationWriter.write(seg, file);
        List<String> errors = DicomTools.dciodvfyErrors(file);
        assertTrue(errors.isEmpty(), "dciodvfy errors: " + errors);
        AttributeList back = new AttributeList();
        back.read(file.toFile());
        assertEquals("FRACTIONAL", com.pixelmed.dicom.Attribute.getSingleStringValueOrEmptyString(back,
                new com.pixelmed.dicom.AttributeTag(0x0062, 0x0001)));
        assertTrue(java.util.Arrays.equals(mask.data(), SegmentationReader.read(back, v.grid(), 1).data()));
        // pydicom: the stored value of one myocardium voxel is its probability x 255
        DicomTools.Run r = DicomTools.run(List.of("/usr/bin/python3", "-c", "import pydicom,sys\n"
                + "d = pydicom.dcmread(sys.argv[1]); a = d.pixel_array\n"
                + "print(a.shape[0], int(a.max()), d.MaximumFractionalValue)", file.toString()));
        String[] out = r.output().strip().split("\\s+");
        assertEquals(slicesWithMask(mask), Integer.parseInt(out[0]), r.output());
        assertTrue(Integer.parseInt(out[1]) > 127 && Integer.parseInt(out[1]) <= 255, r.output());
        assertEquals("255", out[2]);
    }

    /**
     * A SEG is derived from its sources' pixels: from lossy compressed ones it says so (PS3.3 C.7.6.1.1.5), with the
     * ratio and method the sources give, or the method their transfer syntax implies; from lossless ones "00".
     */
    @Test
    void aSegOfLossyCompressedSourcesSaysSoWithTheirRatioAndMethod(@TempDir Path dir) throws Exception {
        PhantomCase p = SpectPhantom.generate("seg-lossy", 24, PhantomOptions.normal());
        List<Path> src = org.myoflow.dicom.simulator.CtStackWriter.write(p.image(), StudyIdentity.forSeed(24), 3,
                100, Files.createDirectories(dir.resolve("src")));
        Volume v = SeriesVolumes.read(src, "1.2.840.10008.5.1.4.1.1.2");
        BinaryMask mask = onGrid(p.myocardium(), v.grid());

        AttributeList lossless = seg(headers(src), mask, "lossless");
        assertEquals("00", Attrs.string(lossless, LossyHistory.LOSSY_IMAGE_COMPRESSION));
        assertNull(lossless.get(LossyHistory.METHOD));

        List<AttributeList> said = headers(src); // the sources say they were compressed 10:1 with JPEG
        for (AttributeList h : said) {
            Attrs.put(h, LossyHistory.LOSSY_IMAGE_COMPRESSION, "01");
            Attrs.put(h, LossyHistory.RATIO, "10");
            Attrs.put(h, LossyHistory.METHOD, "ISO_10918_1");
        }
        AttributeList fromSaid = seg(said, mask, "said");
        assertEquals("01", Attrs.string(fromSaid, LossyHistory.LOSSY_IMAGE_COMPRESSION));
        assertEquals("10", Attrs.string(fromSaid, LossyHistory.RATIO));
        assertEquals("ISO_10918_1", Attrs.string(fromSaid, LossyHistory.METHOD));
        Path file = dir.resolve("seg-lossy.dcm");
        SegmentationWriter.write(fromSaid, file);
        List<String> errors = DicomTools.dciodvfyErrors(file);
        assertTrue(errors.isEmpty(), "dciodvfy errors: " + errors);

        List<AttributeList> jpeg = headers(src); // arrived as JPEG baseline, saying nothing about it
        for (AttributeList h : jpeg) {
            Attrs.put(h, TagFromName.TransferSyntaxUID, "1.2.840.10008.1.2.4.50");
        }
        AttributeList fromSyntax = seg(jpeg, mask, "syntax");
        assertEquals("01", Attrs.string(fromSyntax, LossyHistory.LOSSY_IMAGE_COMPRESSION));
        assertEquals("ISO_10918_1", Attrs.string(fromSyntax, LossyHistory.METHOD));
    }

    private static List<AttributeList> headers(List<Path> files) throws Exception {
        List<AttributeList> headers = new ArrayList<>();
        for (Path f : files) {
            AttributeList l = new AttributeList();
            l.read(f.toFile(), TagFromName.PixelData);
            headers.add(l);
        }
        return headers;
    }

    private static AttributeList seg(List<AttributeList> sources, BinaryMask mask, String id) throws Exception {
        return SegmentationWriter.build(List.of(SegmentationWriter.Part.lvMyocardium(mask)), null, sources,
                SegmentationWriter.Segment.lvMyocardium("v1"), Uids.derived("series/lossy-" + id),
                Uids.derived("seg-test/lossy-" + id), 900);
    }

    private static void check(List<Path> sourceFiles, PhantomCase p, Path dir, String sopClass) throws Exception {
        Volume v = SeriesVolumes.read(sourceFiles, sopClass);
        // the truth carried onto the grid the node reads (which may order axes differently) by world position
        BinaryMask mask = onGrid(p.myocardium(), v.grid());
        assertEquals(p.myocardium().count(), mask.count(), "the read grid covers the same voxels");
        List<AttributeList> headers = new ArrayList<>();
        for (Path f : sourceFiles) {
            AttributeList l = new AttributeList();
            l.read(f.toFile(), TagFromName.PixelData);
            headers.add(l);
        }
        BinaryMask cavity = org.myoflow.model.metrics.LvCavity.fromMyocardium(mask);
        assertTrue(cavity.count() > 0);
        AttributeList seg = SegmentationWriter.build(List.of(SegmentationWriter.Part.lvMyocardium(mask),
                SegmentationWriter.Part.lvCavity(cavity)), null, headers,
                SegmentationWriter.Segment.lvMyocardium("v1"), Uids.derived("series/" + p.id()),
                Uids.derived("seg-test/" + p.id()), 900);
        Path file = dir.resolve("seg.dcm");
        SegmentationWriter.write(seg, file);

        List<String> errors = DicomTools.dciodvfyErrors(file);
        assertTrue(errors.isEmpty(), "dciodvfy errors: " + errors);
        System.out.println("dciodvfy warnings on SEG from " + sopClass + ": " + DicomTools.dciodvfyWarnings(file));

        Path nifti = dir.resolve("mask.nii.gz");
        Nifti.write(nifti, mask);
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/python3", script(dir).toString(), "--segment=1",
                file.toString(), nifti.toString()));
        sourceFiles.forEach(f -> cmd.add(f.toString()));
        DicomTools.Run run = DicomTools.run(cmd);
        assertEquals(0, run.exit(), run.output());
        String last = run.output().strip().lines().reduce((a, b) -> b).orElse("");
        JsonNode r = new ObjectMapper().readTree(last);
        assertEquals(slicesWithMask(mask) + slicesWithMask(cavity), r.get("frames").asInt(),
                "a frame per slice with myocardium and per slice with cavity, no others");
        assertEquals(0, r.get("differing").asInt(), last);
        assertEquals(1.0, r.get("dice").asDouble(), 1e-12);
        assertEquals(0, r.get("badReferences").asInt(), last);

        // frames in any order: a copy with its frames shuffled decodes to the same mask, in pydicom and in dcmjs
        Path shuffled = dir.resolve("seg-shuffled.dcm");
        shuffledCopy(file, shuffled, 7);
        for (Path f : List.of(file, shuffled)) {
            List<String> again = new ArrayList<>(cmd);
            again.set(3, f.toString());
            DicomTools.Run py = DicomTools.run(again);
            JsonNode pr = new ObjectMapper().readTree(py.output().strip().lines().reduce((a, b) -> b).orElse(""));
            assertEquals(0, pr.get("differing").asInt(), "pydicom on " + f.getFileName() + ": " + pr);
            assertEquals(maskIndices(mask), dcmjs(f, 1, v.grid()), "dcmjs, segment 1, on " + f.getFileName());
            assertEquals(maskIndices(cavity), dcmjs(f, 2, v.grid()), "dcmjs, segment 2, on " + f.getFileName());
        }

        // the measurement report on it: conformant, and its volume is the mask's, computed here independently
        double voxelMl = Math.abs(v.grid().affine().determinant()) / 1000.0;
        double expectedMl = mask.count() * voxelMl;
        double expectedCavityMl = cavity.count() * voxelMl;
        AttributeList sr = MeasurementReportWriter.build(headers, seg, List.of(
                MeasurementReportWriter.MeasuredSegment.lvMyocardium(mask.volumeMl()),
                MeasurementReportWriter.MeasuredSegment.lvCavity(cavity.volumeMl())), "v1",
                Uids.derived("sr-series/" + p.id()), Uids.derived("sr/" + p.id()), 901);
        Path srFile = dir.resolve("sr.dcm");
        com.pixelmed.dicom.FileMetaInformation.addFileMetaInformation(sr,
                com.pixelmed.dicom.TransferSyntax.ExplicitVRLittleEndian, "TEST");
        sr.write(srFile.toFile(), com.pixelmed.dicom.TransferSyntax.ExplicitVRLittleEndian, true, true);
        Files.createDirectories(Path.of("target"));
        Files.copy(srFile, Path.of("target", "sr-" + sopClass + ".dcm"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        List<String> srErrors = DicomTools.dciodvfyErrors(srFile);
        assertTrue(srErrors.isEmpty(), "dciodvfy errors on SR: " + srErrors);
        System.out.println("dciodvfy warnings on SR from " + sopClass + ": " + DicomTools.dciodvfyWarnings(srFile));
        DicomTools.Run dump = DicomTools.run(List.of("/usr/bin/python3", "-c", "import pydicom,sys\n"
                + "def walk(items):\n"
                + "    for i in items:\n"
                + "        if i.ValueType == 'NUM':\n"
                + "            print(i.MeasuredValueSequence[0].NumericValue, "
                + "i.MeasuredValueSequence[0].MeasurementUnitsCodeSequence[0].CodeValue)\n"
                + "        if 'ContentSequence' in i: walk(i.ContentSequence)\n"
                + "walk(pydicom.dcmread(sys.argv[1]).ContentSequence)", srFile.toString()));
        String[] num = dump.output().strip().split("\\s+");
        assertEquals(4, num.length, "myocardium and cavity volumes: " + dump.output());
        assertEquals("mL", num[1], dump.output());
        assertEquals(expectedMl, Double.parseDouble(num[0]), 0.1, "SR myocardial volume vs the mask's own");
        assertEquals("mL", num[3], dump.output());
        assertEquals(expectedCavityMl, Double.parseDouble(num[2]), 0.1, "SR cavity volume vs the cavity's own");
        assertTrue(expectedCavityMl > 10, "a cavity was found: " + expectedCavityMl);

        // and our own reader, which the demo and returned corrections use, agrees exactly
        AttributeList back = new AttributeList();
        back.read(file.toFile());
        BinaryMask read = SegmentationReader.read(back, v.grid(), 1);
        assertTrue(java.util.Arrays.equals(mask.data(), read.data()), "SegmentationReader gives the mask back");
        assertTrue(java.util.Arrays.equals(cavity.data(), SegmentationReader.read(back, v.grid(), 2).data()),
                "and the cavity as segment 2");
    }

    /** The SEG decoded by dcmjs (Node) onto the grid: the set of voxel indices it marks. */
    private static List<Integer> dcmjs(Path seg, int segment, org.myoflow.model.volume.Grid g) throws Exception {
        Path js = Path.of("src/test/js");
        assertTrue(Files.isDirectory(js.resolve("node_modules/dcmjs")),
                "dcmjs is installed by ./myoflow test (npm ci --prefix dicom-node/src/test/js)");
        List<String> cmd = new ArrayList<>(List.of("node", js.resolve("decode_seg.js").toString(), seg.toString(),
                String.valueOf(segment), String.valueOf(g.nx()), String.valueOf(g.ny()), String.valueOf(g.nz())));
        for (double a : g.affine().rowMajor3x4()) {
            cmd.add(Double.toString(a));
        }
        DicomTools.Run r = DicomTools.run(cmd);
        assertEquals(0, r.exit(), r.output());
        JsonNode n = new ObjectMapper().readTree(r.output().strip().lines().reduce((a, b) -> b).orElse(""));
        assertEquals(0, n.get("offGrid").asInt(), "dcmjs placed every pixel on a voxel");
        List<Integer> out = new ArrayList<>();
        n.get("voxels").forEach(v -> out.add(v.asInt()));
        return out;
    }

    private static List<Integer> maskIndices(BinaryMask m) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < m.data().length; i++) {
            if (m.data()[i]) {
                out.add(i);
            }
        }
        return out;
    }

    /** The same SEG with its frames (per-frame groups and pixel frames together) in a shuffled order. */
    private static void shuffledCopy(Path in, Path out, long seed) throws Exception {
        AttributeList l = new AttributeList();
        l.read(in.toFile());
        int rows = com.pixelmed.dicom.Attribute.getSingleIntegerValueOrDefault(l, TagFromName.Rows, 0);
        int cols = com.pixelmed.dicom.Attribute.getSingleIntegerValueOrDefault(l, TagFromName.Columns, 0);
        int frames = com.pixelmed.dicom.Attribute.getSingleIntegerValueOrDefault(l, TagFromName.NumberOfFrames, 0);
        byte[] px = l.get(TagFromName.PixelData).getByteValues();
        com.pixelmed.dicom.SequenceAttribute pf =
                (com.pixelmed.dicom.SequenceAttribute) l.get(TagFromName.PerFrameFunctionalGroupsSequence);
        List<Integer> order = new ArrayList<>();
        for (int f = 0; f < frames; f++) {
            order.add(f);
        }
        java.util.Collections.shuffle(order, new java.util.Random(seed));
        com.pixelmed.dicom.SequenceAttribute shuffledGroups =
                new com.pixelmed.dicom.SequenceAttribute(TagFromName.PerFrameFunctionalGroupsSequence);
        byte[] outPx = new byte[px.length];
        int n = rows * cols;
        for (int k = 0; k < frames; k++) {
            int f = order.get(k);
            shuffledGroups.addItem(pf.getItem(f));
            for (int i = 0; i < n; i++) {
                long from = (long) f * n + i, to = (long) k * n + i;
                if ((px[(int) (from >>> 3)] & (1 << (from & 7))) != 0) {
                    outPx[(int) (to >>> 3)] |= (byte) (1 << (to & 7));
                }
            }
        }
        l.put(shuffledGroups);
        com.pixelmed.dicom.OtherByteAttribute a = new com.pixelmed.dicom.OtherByteAttribute(TagFromName.PixelData);
        a.setValues(outPx);
        l.put(a);
        l.write(out.toFile(), com.pixelmed.dicom.TransferSyntax.ExplicitVRLittleEndian, true, true);
    }

    private static BinaryMask onGrid(BinaryMask src, org.myoflow.model.volume.Grid target) {
        org.myoflow.model.volume.Affine toSrc = src.grid().affine().inverse();
        BinaryMask out = BinaryMask.empty(target);
        for (int k = 0; k < target.nz(); k++) {
            for (int j = 0; j < target.ny(); j++) {
                for (int i = 0; i < target.nx(); i++) {
                    double[] w = target.affine().apply(i, j, k);
                    double[] s = toSrc.apply(w[0], w[1], w[2]);
                    int x = (int) Math.round(s[0]), y = (int) Math.round(s[1]), z = (int) Math.round(s[2]);
                    assertTrue(Math.abs(s[0] - x) < 1e-3 && Math.abs(s[1] - y) < 1e-3 && Math.abs(s[2] - z) < 1e-3,
                            "grids do not coincide");
                    out.set(i, j, k, src.get(x, y, z));
                }
            }
        }
        return out;
    }

    private static int slicesWithMask(BinaryMask mask) {
        int slices = 0;
        for (int z = 0; z < mask.grid().nz(); z++) {
            boolean any = false;
            for (int y = 0; y < mask.grid().ny() && !any; y++) {
                for (int x = 0; x < mask.grid().nx() && !any; x++) {
                    any = mask.get(x, y, z);
                }
            }
            slices += any ? 1 : 0;
        }
        return slices;
    }

    private static Path script(Path dir) throws Exception {
        Path s = dir.resolve("decode_seg.py");
        try (var in = SegmentationWriterTest.class.getResourceAsStream("decode_seg.py")) {
            Files.copy(in, s);
        }
        return s;
    }
}

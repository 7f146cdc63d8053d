package org.myoflow.dicom.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myoflow.dicom.Attrs;
import org.myoflow.dicom.DicomNode;
import org.myoflow.dicom.DicomNodeConfig;
import org.myoflow.dicom.DicomTools;
import org.myoflow.dicom.LiveFiles;
import org.myoflow.dicom.Part10;
import org.myoflow.dicom.VolumeAssertions;
import org.myoflow.dicom.scp.ScpConfig;
import org.myoflow.dicom.simulator.CtStackWriter;
import org.myoflow.dicom.simulator.NmReconTomoWriter;
import org.myoflow.dicom.simulator.StudyIdentity;
import org.myoflow.model.io.Nifti;
import org.myoflow.model.phantom.PhantomOptions;
import org.myoflow.model.phantom.SpectPhantom;
import org.myoflow.model.volume.Volume;
import org.myoflow.workflows.events.EventJson;
import org.myoflow.workflows.events.SeriesReceived;
import org.myoflow.workflows.events.StudyReceived;

/**
 * Compressed transfer syntaxes, for real: studies written by the scanner simulator, compressed by dcmtk (dcmcjpeg,
 * dcmcrle) or GDCM (gdcmconv, JPEG 2000) and pushed in that syntax with dcmtk's dcmsend. The lossless ones the node accepts by default are kept as sent
 * and become the same volumes dcm2niix makes of the uncompressed originals; a syntax it can store but not decode
 * (JPEG-LS, when an operator enables it) is kept, and its series is reported as not a volume, with the reason.
 */
class CompressedSeriesTest {
    private static final String JPEG_LOSSLESS_SV1 = "1.2.840.10008.1.2.4.70";
    private static final String JPEG_LOSSLESS = "1.2.840.10008.1.2.4.57";
    private static final String RLE = "1.2.840.10008.1.2.5";
    private static final String JPEG_2000_LOSSLESS = "1.2.840.10008.1.2.4.90";
    private static final String JPEG_LS_LOSSLESS = "1.2.840.10008.1.2.4.80";

    @TempDir
    Path root;
    @TempDir
    Path scanner;
    private DicomNode node;

    @AfterEach
    void stop() throws Exception {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void jpegLosslessJpeg2000AndRleStudiesAreKeptAsSentAndBecomeTheVolumesDcm2niixMakesOfTheOriginals() throws Exception {
        node = DicomNode.start(DicomNodeConfig.defaults(root).withScp(ScpConfig.defaults().withPort(0))
                .withQuietPeriod(Duration.ofMillis(800)), new SimpleMeterRegistry());
        Volume v = SpectPhantom.generate("c", 91, PhantomOptions.normal()).image();
        record Variant(String ts, List<String> compressor, long seed) {
        }
        List<Variant> variants = List.of(new Variant(JPEG_LOSSLESS_SV1, List.of("dcmcjpeg"), 91),
                new Variant(JPEG_LOSSLESS, List.of("dcmcjpeg", "+el"), 92), new Variant(RLE, List.of("dcmcrle"), 93),
                // dcmtk has no JPEG 2000 encoder; GDCM (OpenJPEG inside) is what many PACS compress with
                new Variant(JPEG_2000_LOSSLESS, List.of("gdcmconv", "--j2k"), 94));
        for (Variant variant : variants) {
            StudyIdentity id = StudyIdentity.forSeed(variant.seed());
            Path original = Files.createDirectories(scanner.resolve(variant.ts()).resolve("original"));
            Path nm = Files.createDirectories(original.resolve("NM"));
            Path ct = Files.createDirectories(original.resolve("CT"));
            NmReconTomoWriter.write(v, id, 1, nm.resolve("nm.dcm"));
            CtStackWriter.write(v, id, 2, 100, ct);
            List<Path> sent = new ArrayList<>();
            for (Path f : LiveFiles.find(original, 2, p -> p.toString().endsWith(".dcm"))) {
                Path c = Files.createDirectories(scanner.resolve(variant.ts()).resolve("sent"))
                        .resolve(f.getParent().getFileName() + "-" + f.getFileName());
                List<String> cmd = new ArrayList<>(variant.compressor());
                cmd.addAll(List.of(f.toString(), c.toString()));
                DicomTools.Run r = DicomTools.run(cmd);
                assertEquals(0, r.exit(), cmd + ": " + r.output());
                if (variant.compressor().get(0).equals("gdcmconv")) {
                    // GDCM writes sequences with undefined lengths, which dcmsend re-encodes on the way; dcmtk's
                    // own encoding of the same file (pixel data untouched) is what goes on the wire
                    Path gdcm = c.resolveSibling(c.getFileName() + ".gdcm");
                    Files.move(c, gdcm);
                    r = DicomTools.run(List.of("dcmconv", gdcm.toString(), c.toString()));
                    assertEquals(0, r.exit(), "dcmconv: " + r.output());
                }
                assertEquals(variant.ts(), Part10.transferSyntax(c), c.toString());
                sent.add(c);
            }

            DicomTools.Run push = dcmsend(sent);
            assertEquals(0, push.exit(), variant.ts() + ": " + push.output());

            StudyReceived event = awaitEvent(id.studyInstanceUid());
            assertEquals(sent.size(), event.instanceCount());
            assertEquals(2, event.series().size());
            for (Path f : sent) {
                Path spooled = spooled(Part10.sopInstanceUid(f));
                assertEquals(variant.ts(), Part10.transferSyntax(spooled), "kept in the syntax it was sent in");
                assertArrayEquals(Part10.dataSet(f), Part10.dataSet(spooled), "kept byte for byte: " + f);
            }
            for (SeriesReceived s : event.series()) {
                assertNull(s.volumeError(), variant.ts() + " " + s.modality() + ": " + s.volumeError());
                Volume ours = Nifti.readVolume(root.resolve(s.volumePath()));
                Volume theirs = Nifti.readVolume(DicomTools.dcm2niix(original.resolve(s.modality()),
                        Files.createDirectories(scanner.resolve(variant.ts()).resolve("nii-" + s.modality())),
                        s.modality()));
                VolumeAssertions.assertSamePhysicalVoxels(ours, theirs,
                        variant.ts() + " " + s.modality() + ": node on the compressed series vs dcm2niix on the original");
            }
        }
    }

    @Test
    void aSyntaxEnabledButNotDecodableIsKeptAndItsSeriesReportedAsNoVolumeWithTheReason() throws Exception {
        List<String> syntaxes = new ArrayList<>(ScpConfig.DEFAULT_TRANSFER_SYNTAXES);
        syntaxes.add(JPEG_LS_LOSSLESS);
        node = DicomNode.start(DicomNodeConfig.defaults(root).withScp(ScpConfig.defaults().withPort(0)
                .withTransferSyntaxes(syntaxes)).withQuietPeriod(Duration.ofMillis(500)), new SimpleMeterRegistry());
        DicomTools.Run where = DicomTools.run(List.of("/usr/bin/python3", "-c", "import pydicom.data; "
                + "print(pydicom.data.get_testdata_file('MR_small_jpeg_ls_lossless.dcm'))"));
        assertEquals(0, where.exit(), "python3-pydicom is needed: " + where.output());
        Path jpegLs = Path.of(where.output().trim());
        assertEquals(JPEG_LS_LOSSLESS, Part10.transferSyntax(jpegLs));

        DicomTools.Run push = dcmsend(List.of(jpegLs));
        assertEquals(0, push.exit(), push.output());

        AttributeList l = new AttributeList();
        l.read(jpegLs.toFile(), TagFromName.PixelData);
        StudyReceived event = awaitEvent(Attrs.string(l, TagFromName.StudyInstanceUID));
        assertEquals(1, event.series().size());
        String why = event.series().get(0).volumeError();
        assertNotNull(why, "a series that cannot be decoded is no volume");
        assertTrue(why.contains(JPEG_LS_LOSSLESS) && why.contains("jpeg-ls"), why);
        // dcmtk re-encodes the sample's odd-length element on the way, so compare what matters, with pydicom:
        // the same compressed pixel data, in the same syntax
        Path kept = spooled(Attrs.string(l, TagFromName.SOPInstanceUID));
        assertEquals(JPEG_LS_LOSSLESS, Part10.transferSyntax(kept));
        DicomTools.Run same = DicomTools.run(List.of("/usr/bin/python3", "-c", "import sys, pydicom; "
                + "a, b = (pydicom.dcmread(f).PixelData for f in sys.argv[1:]); print(len(a), a == b)",
                jpegLs.toString(), kept.toString()));
        assertTrue(same.exit() == 0 && same.output().trim().endsWith("True"), same.output());
    }

    /**
     * dcmtk's dcmsend, never decompressing: it proposes each file's own transfer syntax, as a PACS forwarding
     * compressed studies does (storescu proposes uncompressed syntaxes unless told which compressed one).
     */
    private DicomTools.Run dcmsend(List<Path> files) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("dcmsend", "-dn", "-aet", "SCANNER", "-aec", "MYOFLOW",
                "127.0.0.1", String.valueOf(node.port())));
        files.forEach(f -> cmd.add(f.toString()));
        return DicomTools.run(cmd);
    }

    private Path spooled(String sop) throws Exception {
        List<Path> found = LiveFiles.find(root.resolve("spool"), 3, p -> p.getFileName().toString().equals(sop + ".dcm"));
        assertEquals(1, found.size(), sop);
        return found.get(0);
    }

    private StudyReceived awaitEvent(String study) throws Exception {
        Path f = root.resolve("studies").resolve(study).resolve("r1").resolve("study-received.json");
        for (int i = 0; i < 300 && Files.notExists(f); i++) {
            Thread.sleep(50);
        }
        assertTrue(Files.exists(f), "no study-received.json for " + study);
        return EventJson.fromBytes(Files.readAllBytes(f), StudyReceived.class);
    }
}

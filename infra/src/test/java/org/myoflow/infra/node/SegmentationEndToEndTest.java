package org.myoflow.infra.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.myoflow.infra.Storescu;
import org.junit.jupiter.api.io.TempDir;
import org.myoflow.dicom.DicomNodeConfig;
import org.myoflow.dicom.scp.ScpConfig;
import org.myoflow.dicom.simulator.NmReconTomoWriter;
import org.myoflow.dicom.simulator.PetStackWriter;
import org.myoflow.dicom.simulator.StudyIdentity;
import org.myoflow.infra.stack.OrthancPacs;
import org.myoflow.infra.stack.StackConfig;
import org.myoflow.model.phantom.PhantomCase;
import org.myoflow.model.phantom.PhantomOptions;
import org.myoflow.model.phantom.SpectPhantom;
import org.myoflow.workflows.events.EventJson;
import org.myoflow.workflows.events.ReviewedLabelReceived;
import org.myoflow.workflows.events.SegmentationCompleted;
import org.myoflow.workflows.events.Topics;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.TagFromName;
import org.myoflow.dicom.Attrs;
import org.myoflow.dicom.results.SegmentationWriter;
import org.myoflow.dicom.results.Uids;
import org.myoflow.model.io.Nifti;
import org.myoflow.model.volume.BinaryMask;
import org.myoflow.model.volume.Grid;

/**
 * The whole path on real parts: storescu pushes an NM multi-frame and a PET single-frame phantom study to the node,
 * the embedded Kafka and Temporal carry them through the workers, and the SEGs land in a real Orthanc. Each SEG,
 * downloaded from Orthanc's REST API and decoded by pydicom, equals the mask the worker wrote, on the source grid;
 * dciodvfy finds no errors; the SR and the secondary-capture overlay are stored beside it. Pushing a study again
 * gives no second SEG.
 */
class SegmentationEndToEndTest {
    @TempDir
    static Path dir;
    static OrthancPacs orthanc;
    /** A second PACS for viewers without SEG support: it gets only the overlay, deflated. */
    static OrthancPacs viewer;
    static MyoflowNode node;

    @BeforeAll
    static void start() throws Exception {
        orthanc = OrthancPacs.start(dir.resolve("orthanc"), 0, 0);
        viewer = OrthancPacs.start(dir.resolve("viewer"), 0, 0);
        Path root = dir.resolve("home");
        // the scanner's camera resolution configured by its AE title, so the worker takes the calibration's camera path
        node = MyoflowNode.all(root, StackConfig.from(java.util.Map.of("MYOFLOW_CAMERA_FWHM_MM", "SCANNER=14,NM2=12"))
                .withEmbeddedPorts(0, 0)
                .withPacs(org.myoflow.dicom.scu.PacsDestination.parseList(orthanc.destination() + ","
                        + viewer.destination() + "/sc;ts=deflated")), DicomNodeConfig.defaults(root)
                .withScp(ScpConfig.defaults().withPort(0)).withQuietPeriod(Duration.ofSeconds(1)), 2,
                new SimpleMeterRegistry());
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
        if (orthanc != null) {
            orthanc.close();
        }
        if (viewer != null) {
            viewer.close();
        }
    }

    @Test
    void nmAndPetStudiesComeBackAsSegsInOrthanc() throws Exception {
        Path scanner = Files.createDirectories(dir.resolve("scanner"));
        PhantomCase nmCase = SpectPhantom.generate("e2e-nm", 31, PhantomOptions.normal());
        StudyIdentity nmId = StudyIdentity.forSeed(31);
        Path nm = scanner.resolve("nm.dcm");
        NmReconTomoWriter.write(nmCase.image(), nmId, 1, nm);
        PhantomCase petCase = SpectPhantom.generate("e2e-pet", 32, PhantomOptions.challenging(1));
        StudyIdentity petId = StudyIdentity.forSeed(32);
        List<Path> pet = PetStackWriter.write(petCase.image(), petId, 2, 100,
                Files.createDirectories(scanner.resolve("pet")));

        assertEquals(0, Storescu.push(node.dicomPort(), List.of(nm)));
        assertEquals(0, Storescu.push(node.dicomPort(), pet));

        checkSeg(nmId.studyInstanceUid(), List.of(nm));
        checkSeg(petId.studyInstanceUid(), pet);

        // the same study again: duplicates only, no new revision, still exactly one SEG
        assertEquals(0, Storescu.push(node.dicomPort(), List.of(nm)));
        Thread.sleep(4000);
        assertEquals(1, orthanc.segInstancesOfStudy(nmId.studyInstanceUid()).size());

        correctionComesBackAsAReviewedLabel(nmId.studyInstanceUid());
    }

    /**
     * A radiologist edits Myoflow's SEG (drops the basal half) and sends it back with storescu: it is stored as a
     * reviewed label on the source grid, equal to the edit, a ReviewedLabelReceived event is on the broker, and no
     * new segmentation is run for it.
     */
    private void correctionComesBackAsAReviewedLabel(String study) throws Exception {
        Path root = dir.resolve("home");
        Path run = root.resolve("studies").resolve(study).resolve("r1").resolve("myoflow-" + node.modelVersion());
        SegmentationCompleted done = EventJson.fromBytes(Files.readAllBytes(run.resolve("completed.json")),
                SegmentationCompleted.class);
        AttributeList ours = new AttributeList();
        ours.read(run.resolve("seg.dcm").toFile());
        BinaryMask mask = Nifti.readMask(root.resolve(done.maskPath()));
        BinaryMask edited = mask.copy();
        Grid g = edited.grid();
        for (int z = g.nz() / 2; z < g.nz(); z++) {
            for (int y = 0; y < g.ny(); y++) {
                for (int x = 0; x < g.nx(); x++) {
                    edited.set(x, y, z, false);
                }
            }
        }
        assertTrue(edited.count() > 0 && edited.count() < mask.count(), "the edit changes the mask");
        List<AttributeList> sources = new ArrayList<>();
        Path spooled = root.resolve("spool").resolve(study).resolve(done.sourceSeriesInstanceUid());
        try (var files = Files.list(spooled)) {
            for (Path f : files.toList()) {
                AttributeList l = new AttributeList();
                l.read(f.toFile(), TagFromName.PixelData);
                sources.add(l);
            }
        }
        String editUid = Uids.derived("edit/" + study);
        AttributeList seg = SegmentationWriter.build(edited, sources, SegmentationWriter.Segment.lvMyocardium("v1"),
                Uids.derived("edit-series/" + study), editUid, 77);
        Attrs.put(seg, TagFromName.Manufacturer, "Reading Room Workstation");
        Attrs.put(seg, new AttributeTag(0x0070, 0x0084), "Reviewer^Radiologist");
        Attrs.put(seg, TagFromName.SeriesDescription, "LV myocardium, edited");
        Path file = dir.resolve("edited-seg.dcm");
        SegmentationWriter.write(seg, file);
        assertEquals(0, Storescu.push(node.dicomPort(), "WORKSTATION", List.of("-R"), List.of(file)));

        Path label = root.resolve("studies").resolve(study).resolve("labels").resolve(editUid + ".nii.gz");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (Files.notExists(label) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertTrue(Files.exists(label), "the correction is stored as a reviewed label");
        assertTrue(java.util.Arrays.equals(edited.data(), Nifti.readMask(label).data()), "label == the edit");
        ReviewedLabelReceived event = reviewedLabelEvent(study);
        assertEquals(editUid, event.segSopInstanceUid());
        assertEquals("WORKSTATION", event.callingAeTitle());
        assertEquals("Reviewer^Radiologist", event.creator());
        assertEquals(edited.count(), event.voxels());
        Thread.sleep(2000);
        assertEquals(1, orthanc.segInstancesOfStudy(study).size(), "a correction starts no new segmentation");
    }

    private static ReviewedLabelReceived reviewedLabelEvent(String study) {
        java.util.Properties p = new java.util.Properties();
        p.put("bootstrap.servers", node.kafkaBootstrap());
        p.put("group.id", "label-test");
        p.put("auto.offset.reset", "earliest");
        try (var c = new org.apache.kafka.clients.consumer.KafkaConsumer<String, byte[]>(p,
                new org.apache.kafka.common.serialization.StringDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            c.subscribe(List.of(Topics.LABEL_REVIEWED));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                for (var r : c.poll(Duration.ofMillis(500))) {
                    if (study.equals(r.key())) {
                        return EventJson.fromBytes(r.value(), ReviewedLabelReceived.class);
                    }
                }
            }
        }
        throw new AssertionError("no ReviewedLabelReceived for " + study);
    }

    private void checkSeg(String study, List<Path> sources) throws Exception {
        Path root = dir.resolve("home");
        Path done = root.resolve("studies").resolve(study).resolve("r1")
                .resolve("myoflow-" + node.modelVersion()).resolve("completed.json");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (Files.notExists(done) && System.nanoTime() < deadline) {
            Thread.sleep(250);
        }
        assertTrue(Files.exists(done), "study " + study + " completed");
        SegmentationCompleted c = EventJson.fromBytes(Files.readAllBytes(done), SegmentationCompleted.class);
        assertEquals(List.of(OrthancPacs.AE_TITLE, OrthancPacs.AE_TITLE), c.destinations());
        assertEquals(0, viewer.segInstancesOfStudy(study).size(), "the SC-only destination gets no SEG");
        assertEquals(0, viewer.instancesOfStudy(study, "SR").size(), "nor the SR");
        List<String> overlay = viewer.instancesOfStudy(study, "OT");
        assertEquals(1, overlay.size(), "but the overlay");
        assertEquals("1.2.840.10008.1.2.1.99", new String(viewer.download("/instances/" + overlay.get(0)
                + "/metadata/TransferSyntax")).strip(), "deflated, as configured for it");
        List<String> ids = orthanc.findInstances(c.segSopInstanceUid());
        assertEquals(1, ids.size(), "the SEG is in Orthanc once");
        assertEquals(1, orthanc.segInstancesOfStudy(study).size());
        assertEquals(1, orthanc.instancesOfStudy(study, "SR").size(), "the measurement report is in Orthanc");
        assertEquals(1, orthanc.instancesOfStudy(study, "OT").size(), "the overlay is in Orthanc");
        Path seg = dir.resolve("from-orthanc-" + c.segSopInstanceUid() + ".dcm");
        Files.write(seg, orthanc.download("/instances/" + ids.get(0) + "/file"));

        Run v = run(List.of("dciodvfy", seg.toString()));
        List<String> errors = v.output.lines().filter(l -> l.startsWith("Error")).toList();
        assertTrue(errors.isEmpty(), "dciodvfy errors: " + errors);

        Path script = Path.of("../dicom-node/src/test/resources/org/myoflow/dicom/results/decode_seg.py");
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/python3", script.toString(), "--segment=1", seg.toString(),
                root.resolve(c.maskPath()).toString()));
        sources.forEach(s -> cmd.add(s.toString()));
        Run d = run(cmd);
        assertEquals(0, d.exit, d.output);
        JsonNode r = new ObjectMapper().readTree(d.output.strip().lines().reduce((a, b) -> b).orElse("{}"));
        assertTrue(r.get("frames").asInt() > 0);
        assertEquals(0, r.get("differing").asInt(), "SEG decoded by pydicom == the worker's mask: " + r);
        assertEquals(0, r.get("badReferences").asInt(), r.toString());
        assertTrue(c.myocardiumMl() > 10, "a myocardium was found: " + c.myocardiumMl() + " mL");
        assertTrue(c.lvCavityMl() > 10, "and the cavity it encloses: " + c.lvCavityMl() + " mL");
        assertTrue(c.meanWallThicknessMm() != null && c.meanWallThicknessMm() > 5 && c.meanWallThicknessMm() < 20,
                "a plausible mean wall thickness (phantoms: 9-13 mm): " + c.meanWallThicknessMm());
        // pushed by SCANNER, whose camera is configured at 14 mm: the event says the volume was calibrated with it
        assertEquals("image+camera", c.volumeCorrection().fit(), c.toString());
        assertEquals(14.0, c.volumeCorrection().cameraFwhmMm());
        assertEquals(c.myocardiumMl(), c.volumeCorrection().uncorrectedMl() * c.volumeCorrection().ratio(),
                0.05 * c.myocardiumMl(), "the mask moved to the corrected volume: " + c.volumeCorrection());
    }

    record Run(int exit, String output) {
    }

    private static Run run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        return new Run(p.exitValue(), out);
    }
}

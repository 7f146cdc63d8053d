package org.myoflow.dicom.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.TagFromName;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.myoflow.dicom.DicomNode;
import org.myoflow.dicom.DicomNodeConfig;
import org.myoflow.dicom.DicomTools;
import org.myoflow.dicom.LiveFiles;
import org.myoflow.dicom.scp.ScpConfig;

/**
 * The odd real files shipped with python3-pydicom (implicit VR, big endian, deflate, trailing padding, odd sizes,
 * SR, SEG, compressed pixels, same SOP Instance UID in several encodings) pushed with storescu: what the node
 * accepts is on disk exactly once, what it does not accept is refused at negotiation, and it keeps serving.
 */
class PydicomSamplesTest {
    private static final List<String> ACCEPTED = List.of("CT_small", "MR_small", "MR_small_implicit",
            "MR_small_bigendian", "MR_small_expb", "MR_small_padded", "image_dfl", "SC_rgb_small_odd", "test-SR");
    /**
     * Compressed (storescu proposes uncompressed syntaxes only and cannot convert these; CompressedSeriesTest sends
     * compressed files as they are, with dcmsend) or SOP classes the node is not configured for.
     */
    private static final List<String> REFUSED = List.of("JPEG-lossy", "MR_small_RLE", "reportsi", "ExplVR_BigEnd");

    @Test
    void realOddFilesAreKeptOnceOrRefusedCleanly(@TempDir Path root) throws Exception {
        Path samples = DicomTools.pydicomSamples();
        try (DicomNode node = DicomNode.start(DicomNodeConfig.defaults(root).withScp(ScpConfig.defaults()
                .withPort(0)).withQuietPeriod(Duration.ofMillis(500)), new SimpleMeterRegistry())) {
            List<String> uids = new ArrayList<>();
            for (String name : ACCEPTED) {
                Path f = samples.resolve(name + ".dcm");
                DicomTools.Run r = DicomTools.storescu(node.port(), "SCANNER", List.of(f));
                assertEquals(0, r.exit(), name + ": " + r.output());
                uids.add(sopInstanceUid(f));
            }
            // storescu proposes Segmentation Storage only with -R (DESIGN.md)
            Path seg = samples.resolve("liver_1frame.dcm");
            DicomTools.Run r = DicomTools.run(List.of("storescu", "-R", "-aec", "MYOFLOW", "127.0.0.1",
                    String.valueOf(node.port()), seg.toString()));
            assertEquals(0, r.exit(), "SEG: " + r.output());
            uids.add(sopInstanceUid(seg));
            for (String name : REFUSED) {
                DicomTools.Run refused = DicomTools.storescu(node.port(), "SCANNER",
                        List.of(samples.resolve(name + ".dcm")));
                assertNotEquals(0, refused.exit(), name + " should not be accepted: " + refused.output());
            }
            for (String uid : uids.stream().distinct().toList()) {
                assertEquals(1, LiveFiles.find(root.resolve("spool"), 3,
                        p -> p.getFileName().toString().equals(uid + ".dcm")).size(), "exactly one copy of " + uid);
            }
            long distinct = uids.stream().distinct().count();
            assertEquals(distinct, spooled(root));
            assertEquals(uids.size() - distinct, Files.readAllLines(root.resolve("spool/duplicates.log")).size(),
                    "the MR_small encodings share one SOP Instance UID: the rest are recorded duplicates");
            assertEquals(0, DicomTools.echoscu(node.port(), "SCANNER").exit());
        }
    }

    private static String sopInstanceUid(Path f) throws Exception {
        AttributeList l = new AttributeList();
        l.read(f.toFile(), TagFromName.PixelData);
        return Attribute.getSingleStringValueOrEmptyString(l, TagFromName.SOPInstanceUID);
    }

    private static long spooled(Path root) throws Exception {
        return LiveFiles.find(root.resolve("spool"), 4, p -> p.toString().endsWith(".dcm")).size();
    }
}

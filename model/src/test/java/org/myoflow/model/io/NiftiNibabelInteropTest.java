package org.myoflow.model.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.myoflow.model.testing.DebianPython;
import org.myoflow.model.volume.Affine;
import org.myoflow.model.volume.Grid;
import org.myoflow.model.volume.Volume;

/** Our NIfTI reader against files nibabel wrote, and nibabel reading the files we wrote. */
class NiftiNibabelInteropTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCRIPT = "nibabel_interop.py";

    @Test
    void readsWhatNibabelWrote(@TempDir Path dir) throws Exception {
        DebianPython.runResource(SCRIPT, dir, "write", dir.toString());
        JsonNode cases = JSON.readTree(dir.resolve("manifest.json").toFile());
        assertTrue(cases.size() >= 10, "nibabel wrote the cases");
        for (JsonNode c : cases) {
            String file = c.get("file").asText();
            NiftiImage img = Nifti.read(dir.resolve(file));
            double[] expected = DebianPython.readFloat64(dir.resolve(file + ".f64"));
            float[] actual = img.volume().data();
            assertEquals(expected.length, actual.length, file);
            for (int i = 0; i < expected.length; i++) {
                // exact: nibabel's float64 of the same stored value, rounded once to float32 as we hold it
                assertEquals((float) expected[i], actual[i], 0f, file + " voxel " + i);
            }
            JsonNode shape = c.get("shape");
            Grid g = img.volume().grid();
            assertArrayEquals(new int[] {shape.get(0).asInt(), shape.get(1).asInt(), shape.get(2).asInt()}, g.dims(), file);
            assertAffineEquals(affine(c.get("affine")), g.affine(), 1e-5, file);
        }
    }

    @ParameterizedTest
    @EnumSource(NiftiDataType.class)
    void nibabelReadsWhatWeWrote(NiftiDataType type, @TempDir Path dir) throws Exception {
        Random rnd = new Random(type.ordinal());
        Affine affine = Affine.of(new double[][] {
            {0.0, -3.2, 0.0, 101.5},
            {2.1 * Math.cos(0.3), 0, -4.4 * Math.sin(0.3), -40.25},
            {2.1 * Math.sin(0.3), 0, 4.4 * Math.cos(0.3), 17.0}});
        Grid grid = new Grid(9, 6, 5, affine);
        float[] data = new float[grid.size()];
        for (int i = 0; i < data.length; i++) {
            data[i] = switch (type) {
                case FLOAT32, FLOAT64 -> (float) (rnd.nextGaussian() * 1000);
                case INT8 -> rnd.nextInt(256) - 128;
                case UINT8 -> rnd.nextInt(256);
                case INT16 -> rnd.nextInt(65536) - 32768;
                case UINT16 -> rnd.nextInt(65536);
                case INT32 -> rnd.nextInt(2_000_000) - 1_000_000;
                case UINT32 -> rnd.nextInt(2_000_000);
            };
        }
        for (String name : new String[] {"ours.nii", "ours.nii.gz"}) {
            Path file = dir.resolve(name);
            Nifti.write(file, new Volume(grid, data), type);
            JsonNode hdr = JSON.readTree(DebianPython.runResource(SCRIPT, dir, "dump", file.toString(),
                    dir.resolve("dump.f64").toString()));
            double[] nib = DebianPython.readFloat64(dir.resolve("dump.f64"));
            assertEquals(data.length, nib.length);
            for (int i = 0; i < data.length; i++) {
                assertEquals(data[i], nib[i], 0.0, name + " voxel " + i);
            }
            assertAffineEquals(affine, affine(hdr.get("affine")), 1e-5, name + " sform");
            assertAffineEquals(affine, affine(hdr.get("qform")), 1e-5, name + " qform (quaternion)");
            assertEquals(1, hdr.get("qform_code").asInt());
            assertEquals(1, hdr.get("sform_code").asInt());
            // and we read our own file back the same way
            NiftiImage back = Nifti.read(file);
            assertArrayEquals(data, back.volume().data(), name);
            assertEquals(type, back.dataType());
        }
    }

    @Test
    void nibabelAgreesOnALeftHandedAffine(@TempDir Path dir) throws Exception {
        Affine lps = Affine.of(new double[][] {{-4.8, 0, 0, 150}, {0, -4.8, 0, 150}, {0, 0, 4.8, -120}});
        Path file = dir.resolve("lh.nii.gz");
        Nifti.write(file, Volume.zeros(new Grid(4, 4, 4, lps)), NiftiDataType.FLOAT32);
        JsonNode hdr = JSON.readTree(DebianPython.runResource(SCRIPT, dir, "dump", file.toString(),
                dir.resolve("d.f64").toString()));
        assertAffineEquals(lps, affine(hdr.get("qform")), 1e-5, "qform with qfac -1");
    }

    static Affine affine(JsonNode rows) {
        double[][] m = new double[4][4];
        for (int r = 0; r < 4; r++) {
            for (int c = 0; c < 4; c++) {
                m[r][c] = rows.get(r).get(c).asDouble();
            }
        }
        return Affine.of(m);
    }

    static void assertAffineEquals(Affine expected, Affine actual, double tol, String what) {
        assertTrue(expected.maxAbsDifference(actual) <= tol,
                what + ": affines differ by " + expected.maxAbsDifference(actual) + "\nexpected " + expected
                        + "\nactual   " + actual);
    }
}

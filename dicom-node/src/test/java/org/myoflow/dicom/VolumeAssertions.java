package org.myoflow.dicom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.myoflow.model.volume.Affine;
import org.myoflow.model.volume.Grid;
import org.myoflow.model.volume.Volume;

/** Volume comparison for tests against dcm2niix: same voxels at the same physical places. */
public final class VolumeAssertions {
    private VolumeAssertions() {
    }

    /**
     * Every voxel of {@code b} lies, to 1e-3 mm, on a voxel centre of {@code a} with the same value: equal volumes up
     * to any axis reordering or flipping, with equal geometry.
     */
    public static void assertSamePhysicalVoxels(Volume a, Volume b, String what) {
        assertEquals(a.grid().size(), b.grid().size(), what + ": voxel count");
        Affine bToA = a.grid().affine().inverse().multiply(b.grid().affine());
        Grid gb = b.grid();
        Grid ga = a.grid();
        double worst = 0;
        for (int z = 0; z < gb.nz(); z++) {
            for (int y = 0; y < gb.ny(); y++) {
                for (int x = 0; x < gb.nx(); x++) {
                    double[] ia = bToA.apply(x, y, z);
                    int ax = (int) Math.round(ia[0]), ay = (int) Math.round(ia[1]), az = (int) Math.round(ia[2]);
                    worst = Math.max(worst, Math.max(Math.abs(ia[0] - ax), Math.max(Math.abs(ia[1] - ay),
                            Math.abs(ia[2] - az))));
                    assertTrue(ga.contains(ax, ay, az), what + ": voxel " + x + "," + y + "," + z + " falls outside");
                    assertEquals(a.get(ax, ay, az), b.get(x, y, z), 1e-3, what + ": value at " + x + "," + y + "," + z);
                }
            }
        }
        double[] sp = ga.spacing();
        assertTrue(worst * Math.max(sp[0], Math.max(sp[1], sp[2])) < 1e-3, what + ": voxel centres off by " + worst);
    }
}

package org.myoflow.model.metrics;

import org.myoflow.model.image.DistanceTransform;
import org.myoflow.model.volume.BinaryMask;
import org.myoflow.model.volume.Grid;

import java.util.Arrays;

/**
 * Mean myocardial wall thickness from the myocardium and the cavity it encloses. For a voxel in the wall, the
 * distance to the nearest cavity voxel plus the distance to the nearest voxel outside the heart is the wall's local
 * thickness plus one voxel (both are measured between voxel centres, half a voxel beyond each surface). Voxels near the
 * open base, where the nearest cavity lies across the rim rather than through the wall, and grazing voxels at the
 * other end are left out: the mean of the 10th to 90th percentile. On the phantoms it reads about 1 mm thin (nearest
 * voxel centres on a grid lie closer than along the wall's normal), see {@code WallThicknessTest}. Defined only where
 * there is a cavity.
 */
public final class WallThickness {
    /** Trimmed at both ends: the rim at the open base (too thick) and grazing voxels (too thin). */
    private static final double TRIM = 0.1;

    private WallThickness() {
    }

    /** Mean thickness in mm, or NaN when there is no wall or no cavity. */
    public static double meanMm(BinaryMask myocardium, BinaryMask cavity) {
        if (myocardium.isEmpty() || cavity.isEmpty()) {
            return Double.NaN;
        }
        Grid g = myocardium.grid();
        double[] s = g.spacing();
        boolean[] outside = new boolean[g.size()];
        for (int i = 0; i < outside.length; i++) {
            outside[i] = !myocardium.data()[i] && !cavity.data()[i];
        }
        double[] toCavity = DistanceTransform.squaredDistanceTo(cavity.data(), g, s[0], s[1], s[2]);
        double[] toOutside = DistanceTransform.squaredDistanceTo(outside, g, s[0], s[1], s[2]);
        double voxel = Math.cbrt(s[0] * s[1] * s[2]);
        double[] local = new double[myocardium.count()];
        int n = 0;
        for (int i = 0; i < g.size(); i++) {
            if (myocardium.data()[i]) {
                local[n++] = Math.sqrt(toCavity[i]) + Math.sqrt(toOutside[i]) - voxel;
            }
        }
        Arrays.sort(local);
        int from = (int) (local.length * TRIM), to = Math.max(from + 1, (int) (local.length * (1 - TRIM)));
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += local[i];
        }
        return sum / (to - from);
    }
}

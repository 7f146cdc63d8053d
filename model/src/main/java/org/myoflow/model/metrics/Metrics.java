package org.myoflow.model.metrics;

import java.util.Arrays;
import org.myoflow.model.image.DistanceTransform;
import org.myoflow.model.volume.BinaryMask;
import org.myoflow.model.volume.Grid;

/**
 * Overlap and surface-distance metrics. Surfaces are the mask voxels with a face neighbour outside the mask (or on
 * the grid border); distances run between surface voxel centres in mm, using the grid's voxel size.
 */
public final class Metrics {
    private Metrics() {
    }

    public static SegmentationMetrics compare(BinaryMask predicted, BinaryMask reference) {
        Grid g = reference.grid();
        if (!predicted.grid().sameShape(g)) {
            throw new IllegalArgumentException("masks differ in shape: " + predicted.grid().shapeString() + " vs "
                    + g.shapeString());
        }
        boolean[] a = predicted.data(), b = reference.data();
        long inter = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) {
            if (a[i]) {
                na++;
            }
            if (b[i]) {
                nb++;
            }
            if (a[i] && b[i]) {
                inter++;
            }
        }
        double dice = na + nb == 0 ? 1 : 2.0 * inter / (na + nb);
        double iou = na + nb - inter == 0 ? 1 : (double) inter / (na + nb - inter);
        double voxelMl = g.voxelVolumeMm3() / 1000.0;
        double hd95, msd;
        if (na == 0 && nb == 0) {
            hd95 = 0;
            msd = 0;
        } else if (na == 0 || nb == 0) {
            hd95 = Double.POSITIVE_INFINITY;
            msd = Double.POSITIVE_INFINITY;
        } else {
            double[] sp = g.spacing();
            boolean[] sa = surface(a, g), sb = surface(b, g);
            double[] ab = distancesFrom(sa, sb, g, sp);
            double[] ba = distancesFrom(sb, sa, g, sp);
            hd95 = Math.max(percentile(ab, 95), percentile(ba, 95));
            double sum = 0;
            for (double d : ab) {
                sum += d;
            }
            for (double d : ba) {
                sum += d;
            }
            msd = sum / (ab.length + ba.length);
        }
        return new SegmentationMetrics(dice, iou, hd95, msd, na * voxelMl, nb * voxelMl);
    }

    static boolean[] surface(boolean[] m, Grid g) {
        int nx = g.nx(), ny = g.ny(), nz = g.nz();
        boolean[] s = new boolean[m.length];
        for (int z = 0, i = 0; z < nz; z++) {
            for (int y = 0; y < ny; y++) {
                for (int x = 0; x < nx; x++, i++) {
                    if (!m[i]) {
                        continue;
                    }
                    s[i] = x == 0 || y == 0 || z == 0 || x == nx - 1 || y == ny - 1 || z == nz - 1
                            || !m[i - 1] || !m[i + 1] || !m[i - nx] || !m[i + nx]
                            || !m[i - nx * ny] || !m[i + nx * ny];
                }
            }
        }
        return s;
    }

    /** Distance (mm) from each surface voxel of {@code from} to the nearest surface voxel of {@code to}. */
    private static double[] distancesFrom(boolean[] from, boolean[] to, Grid g, double[] sp) {
        double[] d2 = DistanceTransform.squaredDistanceTo(to, g, sp[0], sp[1], sp[2]);
        int n = 0;
        for (boolean f : from) {
            if (f) {
                n++;
            }
        }
        double[] d = new double[n];
        int k = 0;
        for (int i = 0; i < from.length; i++) {
            if (from[i]) {
                d[k++] = Math.sqrt(d2[i]);
            }
        }
        return d;
    }

    /** numpy's default (linear interpolation between closest ranks) percentile. */
    static double percentile(double[] values, double q) {
        double[] s = values.clone();
        Arrays.sort(s);
        double pos = q / 100.0 * (s.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(s.length - 1, lo + 1);
        return s[lo] + (pos - lo) * (s[hi] - s[lo]);
    }
}

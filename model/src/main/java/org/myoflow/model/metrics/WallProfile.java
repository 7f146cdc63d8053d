package org.myoflow.model.metrics;

import org.myoflow.model.image.DistanceTransform;
import org.myoflow.model.volume.BinaryMask;
import org.myoflow.model.volume.Grid;
import org.myoflow.model.volume.Volume;

/**
 * The image across a myocardium mask, pooled over the whole heart: mean intensity by depth inside the wall (1 mm
 * bins), then by distance into the cavity and out of the heart (1.5 mm bins up to 21 mm), each relative to the wall's
 * mean. A wall drawn too thick shows as a profile that falls early inside it; pooled over thousands of voxels the shape
 * is steady where a voxel-by-voxel decision is not. These are what {@code VolumeCalibration} reads.
 *
 * @param wallMm the mask's mean wall thickness ({@link WallThickness}); NaN without a cavity
 * @param voxelMm the cube root of the voxel volume
 * @param relativeIntensity {@link #WALL_BINS} wall bins, then {@link #RING_BINS} cavity and {@link #RING_BINS}
 *     outside bins; 0 where a bin holds no voxel
 */
public record WallProfile(double wallMm, double voxelMm, double[] relativeIntensity) {
    public static final int WALL_BINS = 6;
    public static final int RING_BINS = 14;
    static final double RING_MM = 1.5;

    /** The profile of {@code image} across {@code wall}; both on the same grid. */
    public static WallProfile measure(Volume image, BinaryMask wall) {
        Grid g = wall.grid();
        if (!g.sameShape(image.grid())) {
            throw new IllegalArgumentException("image " + image.grid().shapeString() + " and mask "
                    + g.shapeString() + " differ in shape");
        }
        double[] s = g.spacing();
        BinaryMask cavity = LvCavity.fromMyocardium(wall);
        boolean[] w = wall.data();
        boolean[] notWall = new boolean[w.length];
        for (int i = 0; i < w.length; i++) {
            notWall[i] = !w[i];
        }
        double[] toWall = DistanceTransform.squaredDistanceTo(w, g, s[0], s[1], s[2]);
        double[] toOutside = DistanceTransform.squaredDistanceTo(notWall, g, s[0], s[1], s[2]);
        double nearest = Math.min(s[0], Math.min(s[1], s[2]));
        int bins = WALL_BINS + 2 * RING_BINS;
        double[] sum = new double[bins];
        int[] n = new int[bins];
        float[] im = image.data();
        boolean[] inCavity = cavity.data();
        double wallSum = 0;
        int wallCount = 0;
        for (int i = 0; i < w.length; i++) {
            int b;
            if (w[i]) {
                double depth = Math.sqrt(toOutside[i]) - nearest;
                b = Math.max(0, Math.min(WALL_BINS - 1, (int) depth));
                wallSum += im[i];
                wallCount++;
            } else {
                int k = (int) (Math.sqrt(toWall[i]) / RING_MM);
                if (k >= RING_BINS) {
                    continue;
                }
                b = WALL_BINS + (inCavity[i] ? 0 : RING_BINS) + k;
            }
            sum[b] += im[i];
            n[b]++;
        }
        double wallMean = wallCount == 0 ? 0 : wallSum / wallCount;
        double[] relative = new double[bins];
        for (int b = 0; b < bins; b++) {
            relative[b] = n[b] == 0 || wallMean == 0 ? 0 : sum[b] / n[b] / wallMean;
        }
        return new WallProfile(WallThickness.meanMm(wall, cavity), Math.cbrt(s[0] * s[1] * s[2]), relative);
    }

    /** Number of {@link #features()}. */
    public static final int FEATURES = 2 + WALL_BINS + 2 * RING_BINS;

    /** Wall thickness, voxel size, then the profile: the predictors of a volume calibration. */
    public double[] features() {
        double[] f = new double[FEATURES];
        f[0] = wallMm;
        f[1] = voxelMm;
        System.arraycopy(relativeIntensity, 0, f, 2, relativeIntensity.length);
        return f;
    }
}

package org.myoflow.model.training;

import java.util.random.RandomGenerator;

/** Applies an {@link Augmentation} to a case: the same geometric transform to image (trilinear) and mask (nearest). */
public final class Augmenter {
    private final Augmentation a;

    public Augmenter(Augmentation a) {
        this.a = a;
    }

    public TrainingCase apply(TrainingCase c, RandomGenerator rnd) {
        if (a.appliesNothing()) {
            return c;
        }
        int nx = c.shape()[0], ny = c.shape()[1], nz = c.shape()[2];
        // output voxel -> input voxel: centre, inverse rotate/scale/flip, uncentre
        double angle = Math.toRadians((rnd.nextDouble() * 2 - 1) * a.maxRotationDeg());
        if (a.rotate90() && nx == ny) {
            angle += rnd.nextInt(4) * Math.PI / 2;
        }
        double scale = 1 + (rnd.nextDouble() * 2 - 1) * a.maxScale();
        double fx = rnd.nextDouble() < a.flipProbability() ? -1 : 1;
        double fy = rnd.nextDouble() < a.flipProbability() ? -1 : 1;
        double fz = rnd.nextDouble() < a.flipProbability() ? -1 : 1;
        double cos = Math.cos(angle) / scale, sin = Math.sin(angle) / scale;
        double cx = (nx - 1) / 2.0, cy = (ny - 1) / 2.0, cz = (nz - 1) / 2.0;
        float[] img = new float[c.image().length];
        boolean[] mask = new boolean[c.mask().length];
        float gain = (float) (1 + (rnd.nextDouble() * 2 - 1) * a.intensityScale());
        float shift = (float) ((rnd.nextDouble() * 2 - 1) * a.intensityShift());
        double sigma = rnd.nextDouble() * a.noiseSigma();
        int i = 0;
        for (int z = 0; z < nz; z++) {
            double sz = cz + fz * (z - cz) / scale;
            for (int y = 0; y < ny; y++) {
                double dy = fy * (y - cy);
                for (int x = 0; x < nx; x++, i++) {
                    double dx = fx * (x - cx);
                    double sx = cx + cos * dx + sin * dy;
                    double sy = cy - sin * dx + cos * dy;
                    img[i] = sample(c.image(), nx, ny, nz, sx, sy, sz) * gain + shift
                            + (float) (sigma > 0 ? sigma * rnd.nextGaussian() : 0);
                    int mx = (int) Math.round(sx), my = (int) Math.round(sy), mz = (int) Math.round(sz);
                    mask[i] = mx >= 0 && my >= 0 && mz >= 0 && mx < nx && my < ny && mz < nz
                            && c.mask()[mx + nx * (my + ny * mz)];
                }
            }
        }
        return new TrainingCase(c.id(), img, mask, c.shape());
    }

    /** Trilinear sample, 0 outside the grid. */
    static float sample(float[] v, int nx, int ny, int nz, double x, double y, double z) {
        int x0 = (int) Math.floor(x), y0 = (int) Math.floor(y), z0 = (int) Math.floor(z);
        double tx = x - x0, ty = y - y0, tz = z - z0;
        double s = 0;
        for (int k = 0; k < 2; k++) {
            int zz = z0 + k;
            if (zz < 0 || zz >= nz) {
                continue;
            }
            double wz = k == 0 ? 1 - tz : tz;
            for (int j = 0; j < 2; j++) {
                int yy = y0 + j;
                if (yy < 0 || yy >= ny) {
                    continue;
                }
                double wy = j == 0 ? 1 - ty : ty;
                for (int l = 0; l < 2; l++) {
                    int xx = x0 + l;
                    if (xx < 0 || xx >= nx) {
                        continue;
                    }
                    s += wz * wy * (l == 0 ? 1 - tx : tx) * v[xx + nx * (yy + ny * zz)];
                }
            }
        }
        return (float) s;
    }
}

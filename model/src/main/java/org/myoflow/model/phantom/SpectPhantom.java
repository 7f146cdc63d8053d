package org.myoflow.model.phantom;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.myoflow.model.image.GaussianFilter;
import org.myoflow.model.volume.Affine;
import org.myoflow.model.volume.BinaryMask;
import org.myoflow.model.volume.Grid;
import org.myoflow.model.volume.Volume;

/**
 * Synthetic myocardial perfusion SPECT (99mTc-sestamibi/tetrofosmin style), our own data since patient data cannot be
 * downloaded here. Reproducible by seed: same seed and options, same voxels.
 *
 * <h2>Anatomy (activity relative to normal myocardium = 1.0)</h2>
 * <ul>
 *   <li><b>LV myocardium</b>: a truncated prolate-ellipsoid shell. Endocardial short-axis radius 20-28 mm, centre to
 *       endocardial apex 38-50 mm, wall 9-13 mm (the epicardium is the endocardium grown by the wall), cut by a base
 *       plane 0-30 % of the half-length behind the equator, so it is open at the base like a cup. The long axis points
 *       from base to apex roughly left, anterior and inferior (RAS (-0.6, 0.6, -0.5)) within about 20 degrees; the
 *       septum faces the patient's right within 20 degrees. Uptake falls 10 % from apex to base (attenuation-like gradient).</li>
 *   <li><b>Perfusion defects</b> (optional): azimuthal sectors of 20-50 degrees half-width spanning part of the apex
 *       to base length, with 30-70 % reduced uptake. Defect voxels are still myocardium in the ground truth.</li>
 *   <li><b>LV blood pool</b> 0.08-0.18 inside the endocardium. <b>RV wall</b>: a 4-6 mm crescent beside the septum,
 *       0.25-0.45.</li>
 *   <li><b>Liver</b>: an ellipsoid (semi-axes ~80x70x60 mm) to the right of and below the heart; <b>bowel</b>: 2-4
 *       ellipsoidal loops (10-22 mm) below and in front of it. Their uptake depends on
 *       {@link PhantomOptions.Extracardiac}: up to 1.4x (liver) and 1.5x (bowel) the myocardium for HIGH.</li>
 *   <li><b>Body</b>: an elliptical cylinder (semi-axes 140-170 x 100-125 mm) with 0.04-0.1 background.</li>
 * </ul>
 *
 * <h2>Imaging</h2>
 * Activity is integrated over each voxel with 2x2x2 supersampling (partial volume), blurred by a Gaussian
 * point-spread function of 12-16 mm FWHM (collimator-detector response after reconstruction), scaled so normal
 * myocardium would read 60-200 counts per voxel before blur, drawn as Poisson counts (exact below a mean of 40,
 * normal approximation above), and post-filtered with a 0.6-voxel Gaussian like a reconstruction filter. Voxels are
 * 3.2-4.4 mm (zoomed cardiac acquisition), the field of view 170-230 mm centred near the heart, axial DICOM-like
 * orientation: RAS affine diag(-s, -s, s).
 *
 * <p>The ground-truth mask is the geometric shell at voxel centres; the LV cavity mask is the blood pool up to the
 * base plane.
 */
public final class SpectPhantom {
    private static final double[] TYPICAL_APEX = normalize(new double[] {-0.6, 0.6, -0.5});

    private SpectPhantom() {
    }

    public static PhantomCase generate(String id, long seed, PhantomOptions options) {
        RandomGenerator rnd = new SplittableRandom(seed);
        double voxel = uniform(rnd, 3.2, 4.4);
        double voxelZ = voxel * uniform(rnd, 0.95, 1.05);
        int nxy = (int) Math.round(uniform(rnd, 170, 230) / voxel);
        int nz = (int) Math.round(uniform(rnd, 160, 210) / voxelZ);
        double[] fovCentre = {uniform(rnd, -30, 30), uniform(rnd, -30, 30), uniform(rnd, -40, 40)};
        Affine affine = new Affine(new double[] {
            -voxel, 0, 0, fovCentre[0] + (nxy - 1) / 2.0 * voxel,
            0, -voxel, 0, fovCentre[1] + (nxy - 1) / 2.0 * voxel,
            0, 0, voxelZ, fovCentre[2] - (nz - 1) / 2.0 * voxelZ});
        Grid grid = new Grid(nxy, nxy, nz, affine);

        double[] lvCentre = {
            fovCentre[0] + uniform(rnd, -12, 12), fovCentre[1] + uniform(rnd, -12, 12),
            fovCentre[2] + uniform(rnd, -8, 14)};
        double[] apex = perturb(TYPICAL_APEX, Math.toRadians(20), rnd);
        double roll = uniform(rnd, -0.35, 0.35);
        double[][] frame = frame(apex, roll);
        double ri = uniform(rnd, 20, 28);
        double li = uniform(rnd, 38, 50);
        double wall = uniform(rnd, 9, 13);
        double baseCut = uniform(rnd, 0, 0.3) * li;
        double bloodPool = uniform(rnd, 0.08, 0.18);
        double rvUptake = uniform(rnd, 0.25, 0.45);
        double rvWall = uniform(rnd, 4, 6);
        PhantomOptions.Extracardiac ex = options.extracardiac();
        double liverUptake = uniform(rnd, ex.liverMin, ex.liverMax);
        int bowelLoops = 2 + rnd.nextInt(3);
        List<Double> bowelUptakes = new ArrayList<>();
        List<double[]> bowel = new ArrayList<>();
        for (int b = 0; b < bowelLoops; b++) {
            bowelUptakes.add(uniform(rnd, ex.bowelMin, ex.bowelMax));
            double r = uniform(rnd, 10, 22);
            bowel.add(new double[] {
                lvCentre[0] + uniform(rnd, -40, 50), lvCentre[1] + uniform(rnd, -10, 60),
                lvCentre[2] - uniform(rnd, 75, 120), r, r * uniform(rnd, 0.6, 1.0), r * uniform(rnd, 0.6, 1.4)});
        }
        double[] liver = {
            lvCentre[0] + uniform(rnd, 70, 100), lvCentre[1] + uniform(rnd, -20, 20), lvCentre[2] - uniform(rnd, 55, 80),
            uniform(rnd, 70, 90), uniform(rnd, 60, 80), uniform(rnd, 50, 70)};
        double[] body = {fovCentre[0] + uniform(rnd, -10, 10), fovCentre[1] + uniform(rnd, -10, 10),
            uniform(rnd, 140, 170), uniform(rnd, 100, 125)};
        double background = uniform(rnd, 0.04, 0.1);
        double drawnFwhm = uniform(rnd, 12, 16);
        double fwhm = options.psfFwhmMm() != null ? options.psfFwhmMm() : drawnFwhm;
        double peakCounts = uniform(rnd, 60, 200);
        // defects are drawn last: the same seed gives the same anatomy and counts with or without them
        List<PhantomParameters.Defect> defects = new ArrayList<>();
        for (int d = 0; d < options.defects(); d++) {
            double from = uniform(rnd, 0.0, 0.5);
            defects.add(new PhantomParameters.Defect(uniform(rnd, 0, 360), uniform(rnd, 20, 50), from,
                    Math.min(1.0, from + uniform(rnd, 0.3, 0.7)), uniform(rnd, 0.3, 0.7)));
        }

        Anatomy anatomy = new Anatomy(lvCentre, frame, ri, li, wall, baseCut, bloodPool, rvUptake, rvWall,
                liverUptake, liver, bowelUptakes, bowel, defects, body, background);

        float[] activity = new float[grid.size()];
        boolean[] myo = new boolean[grid.size()];
        boolean[] cavity = new boolean[grid.size()];
        double[] off = {-0.25, 0.25};
        for (int z = 0, i = 0; z < nz; z++) {
            for (int y = 0; y < nxy; y++) {
                for (int x = 0; x < nxy; x++, i++) {
                    double sum = 0;
                    for (double oz : off) {
                        for (double oy : off) {
                            for (double ox : off) {
                                sum += anatomy.activity(affine.apply(x + ox, y + oy, z + oz));
                            }
                        }
                    }
                    activity[i] = (float) (sum / 8);
                    double[] p = affine.apply(x, y, z);
                    myo[i] = anatomy.inMyocardium(p);
                    cavity[i] = anatomy.inCavity(p);
                }
            }
        }
        double sigmaMm = fwhm / (2 * Math.sqrt(2 * Math.log(2)));
        Volume blurred = GaussianFilter.smoothMm(new Volume(grid, activity), sigmaMm);
        float[] counts = blurred.data();
        for (int i = 0; i < counts.length; i++) {
            counts[i] = poisson(rnd, Math.max(0, counts[i]) * peakCounts);
        }
        Volume image = GaussianFilter.smoothVoxels(new Volume(grid, counts), 0.6, 0.6, 0.6);

        PhantomParameters params = new PhantomParameters(seed, options.label(), grid.dims(),
                new double[] {voxel, voxel, voxelZ}, lvCentre, apex, ri, li, wall, baseCut, bloodPool, rvUptake,
                liverUptake, bowelUptakes, defects, background, fwhm, peakCounts);
        return new PhantomCase(id, image, new BinaryMask(grid, myo), new BinaryMask(grid, cavity), params);
    }

    /** The activity model in patient coordinates. */
    private record Anatomy(double[] centre, double[][] frame, double ri, double li, double wall, double baseCut,
                           double bloodPool, double rvUptake, double rvWall, double liverUptake, double[] liver,
                           List<Double> bowelUptakes, List<double[]> bowel, List<PhantomParameters.Defect> defects,
                           double[] body, double background) {

        /** Local coordinates: (u, v) across the long axis, w along it towards the apex. */
        double[] local(double[] p) {
            double dx = p[0] - centre[0], dy = p[1] - centre[1], dz = p[2] - centre[2];
            return new double[] {
                dx * frame[0][0] + dy * frame[0][1] + dz * frame[0][2],
                dx * frame[1][0] + dy * frame[1][1] + dz * frame[1][2],
                dx * frame[2][0] + dy * frame[2][1] + dz * frame[2][2]};
        }

        boolean insideEndocardium(double[] q) {
            return (q[0] * q[0] + q[1] * q[1]) / (ri * ri) + q[2] * q[2] / (li * li) <= 1;
        }

        boolean insideEpicardium(double[] q) {
            double ro = ri + wall, lo = li + wall;
            return (q[0] * q[0] + q[1] * q[1]) / (ro * ro) + q[2] * q[2] / (lo * lo) <= 1;
        }

        boolean inMyocardium(double[] p) {
            double[] q = local(p);
            return q[2] >= -baseCut && insideEpicardium(q) && !insideEndocardium(q);
        }

        boolean inCavity(double[] p) {
            double[] q = local(p);
            return q[2] >= -baseCut && insideEndocardium(q);
        }

        double activity(double[] p) {
            double[] q = local(p);
            if (q[2] >= -baseCut && insideEpicardium(q)) {
                if (insideEndocardium(q)) {
                    return bloodPool;
                }
                return myocardialUptake(q);
            }
            double a = 0;
            if (inBody(p)) {
                a = background;
            }
            if (inRightVentricleWall(q)) {
                a = Math.max(a, rvUptake);
            }
            if (inEllipsoid(p, liver)) {
                a = Math.max(a, liverUptake);
            }
            for (int b = 0; b < bowel.size(); b++) {
                if (inEllipsoid(p, bowel.get(b))) {
                    a = Math.max(a, bowelUptakes.get(b));
                }
            }
            return a;
        }

        double myocardialUptake(double[] q) {
            double lo = li + wall;
            double fromApex = (lo - q[2]) / (lo + baseCut); // 0 at the apex, 1 at the base plane
            double uptake = 1.0 - 0.1 * fromApex;
            double azimuth = Math.toDegrees(Math.atan2(q[1], q[0]));
            for (PhantomParameters.Defect d : defects) {
                double delta = Math.abs(((azimuth - d.azimuthDeg()) % 360 + 540) % 360 - 180);
                if (delta <= d.halfWidthDeg() && fromApex >= d.fromApex() && fromApex <= d.toApex()) {
                    uptake *= 1 - d.severity();
                }
            }
            return uptake;
        }

        /** A thin crescent around the septum (local -u side), from the base to 70 % of the way to the apex. */
        boolean inRightVentricleWall(double[] q) {
            double ro = ri + wall;
            double su = q[0] + ro * 0.55; // RV centre shifted towards the septum
            double r2 = (su * su) / ((ro * 1.35) * (ro * 1.35)) + (q[1] * q[1]) / ((ro * 1.15) * (ro * 1.15))
                    + (q[2] * q[2]) / ((li * 0.95) * (li * 0.95));
            double inner = 1 - rvWall / (ro * 1.15);
            return q[0] < -0.2 * ro && r2 <= 1 && r2 >= inner * inner && q[2] >= -baseCut && q[2] <= 0.7 * li
                    && !insideEpicardium(q);
        }

        boolean inBody(double[] p) {
            double dx = (p[0] - body[0]) / body[2], dy = (p[1] - body[1]) / body[3];
            return dx * dx + dy * dy <= 1;
        }

        static boolean inEllipsoid(double[] p, double[] e) {
            double dx = (p[0] - e[0]) / e[3], dy = (p[1] - e[1]) / e[4], dz = (p[2] - e[2]) / e[5];
            return dx * dx + dy * dy + dz * dz <= 1;
        }
    }

    /**
     * Rows: u, v (across the long axis) and w (the apex direction). -u points to the patient's right (the septum and
     * the RV) turned by {@code roll} around w.
     */
    static double[][] frame(double[] w, double roll) {
        double[] right = {1, 0, 0};
        double dot = right[0] * w[0] + right[1] * w[1] + right[2] * w[2];
        double[] rightPerp = {right[0] - dot * w[0], right[1] - dot * w[1], right[2] - dot * w[2]};
        if (Math.sqrt(rightPerp[0] * rightPerp[0] + rightPerp[1] * rightPerp[1] + rightPerp[2] * rightPerp[2]) < 1e-6) {
            rightPerp = new double[] {0, 1, 0};
        }
        double[] u0 = normalize(new double[] {-rightPerp[0], -rightPerp[1], -rightPerp[2]});
        double[] v0 = cross(w, u0);
        double c = Math.cos(roll), s = Math.sin(roll);
        double[] u = {c * u0[0] + s * v0[0], c * u0[1] + s * v0[1], c * u0[2] + s * v0[2]};
        double[] v = cross(w, u);
        return new double[][] {u, v, w};
    }

    private static double[] perturb(double[] dir, double maxAngle, RandomGenerator rnd) {
        double[][] f = frame(dir, 0);
        double angle = maxAngle * Math.sqrt(rnd.nextDouble());
        double az = rnd.nextDouble() * 2 * Math.PI;
        double sa = Math.sin(angle), ca = Math.cos(angle);
        return normalize(new double[] {
            ca * dir[0] + sa * (Math.cos(az) * f[0][0] + Math.sin(az) * f[1][0]),
            ca * dir[1] + sa * (Math.cos(az) * f[0][1] + Math.sin(az) * f[1][1]),
            ca * dir[2] + sa * (Math.cos(az) * f[0][2] + Math.sin(az) * f[1][2])});
    }

    private static float poisson(RandomGenerator rnd, double mean) {
        if (mean <= 0) {
            return 0;
        }
        if (mean > 40) {
            return (float) Math.max(0, Math.rint(mean + Math.sqrt(mean) * rnd.nextGaussian()));
        }
        double limit = Math.exp(-mean);
        double p = 1;
        int k = 0;
        do {
            k++;
            p *= rnd.nextDouble();
        } while (p > limit);
        return k - 1;
    }

    private static double uniform(RandomGenerator rnd, double lo, double hi) {
        return lo + (hi - lo) * rnd.nextDouble();
    }

    static double[] cross(double[] a, double[] b) {
        return new double[] {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
    }

    static double[] normalize(double[] a) {
        double n = Math.sqrt(a[0] * a[0] + a[1] * a[1] + a[2] * a[2]);
        return new double[] {a[0] / n, a[1] / n, a[2] / n};
    }
}

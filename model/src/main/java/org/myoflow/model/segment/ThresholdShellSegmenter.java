package org.myoflow.model.segment;

import org.myoflow.model.image.ConnectedComponents;
import org.myoflow.model.image.GaussianFilter;
import org.myoflow.model.image.Morphology;
import org.myoflow.model.volume.BinaryMask;
import org.myoflow.model.volume.Grid;
import org.myoflow.model.volume.Volume;

/**
 * The classical baseline every learned model is compared against: a smoothed threshold relative to the myocardial
 * peak, with the myocardium told apart from liver and bowel by its shape.
 *
 * <ol>
 *   <li>Smooth the volume (Gaussian, {@code sigma} voxels).</li>
 *   <li>Find the LV: threshold at falling fractions of the global maximum (hot liver or bowel can be brighter than
 *       the heart); score every 26-connected component by how shell-like it is: the counts at its centroid (inside
 *       the cavity for a cup, inside the organ for a solid blob) relative to its peak. Solid components are peeled
 *       off before the next, lower threshold; the best-scoring component of plausible myocardial volume is the
 *       LV.</li>
 *   <li>The myocardial peak is the maximum over that component. The myocardium is the connected region at or above
 *       {@code fraction} of the peak that contains it; if that region swells into a neighbouring hot organ, the
 *       fraction is raised until it separates again.</li>
 *   <li>Probabilities: a logistic ramp of (smoothed / peak - fraction), zero outside the chosen region grown by one
 *       voxel, so downstream postprocessing sees a soft map like a network's.</li>
 * </ol>
 */
public final class ThresholdShellSegmenter implements MyocardiumSegmenter {
    private static final double[] SEARCH_FRACTIONS = {0.8, 0.7, 0.6, 0.5, 0.42, 0.35, 0.28, 0.22, 0.17};
    private static final double MIN_ML = 30, MAX_ML = 400;
    private static final double SOLID_SCORE = 0.15;

    private final double sigma;
    private final double fraction;

    public ThresholdShellSegmenter(double sigma, double fraction) {
        this.sigma = sigma;
        this.fraction = fraction;
    }

    /** Tuned on training phantoms (seeds outside every held-out set). */
    public static ThresholdShellSegmenter defaults() {
        return new ThresholdShellSegmenter(0.8, 0.6);
    }

    @Override
    public String name() {
        return "classical";
    }

    @Override
    public Volume probabilities(Volume input) {
        Grid g = input.grid();
        Volume s = GaussianFilter.smoothVoxels(input, sigma, sigma, sigma);
        float[] v = s.data();
        Search search = findLeftVentricle(s);
        BinaryMask lv = search.leftVentricle();
        float[] prob = new float[v.length];
        if (lv == null) {
            return new Volume(g, prob);
        }
        float peak = 0;
        for (int i = 0; i < v.length; i++) {
            if (lv.data()[i]) {
                peak = Math.max(peak, v[i]);
            }
        }
        double f = fraction;
        BinaryMask region = regionAt(s, lv, search.solidOrgans(), peak, f);
        double lvMl = lv.volumeMl();
        while (region.volumeMl() > 2.5 * lvMl && f < 0.85) {
            f += 0.05;
            region = regionAt(s, lv, search.solidOrgans(), peak, f);
        }
        boolean[] allowed = Morphology.dilate(region, 1).data();
        for (int i = 0; i < v.length; i++) {
            if (allowed[i]) {
                prob[i] = (float) (1 / (1 + Math.exp(-(v[i] / peak - f) / 0.03)));
            }
        }
        return new Volume(g, prob);
    }

    /** The LV candidate and the voxels of solid hot organs (liver, bowel) peeled off during the search. */
    record Search(BinaryMask leftVentricle, boolean[] solidOrgans) {
    }

    /**
     * The most shell-like component over the threshold search. Solid components (counts at their centroid near their
     * peak) are peeled off, grown by two voxels, before the next lower threshold, so a hot liver cannot swallow the
     * heart as the threshold falls.
     */
    Search findLeftVentricle(Volume s) {
        float max = s.max();
        float[] v = s.data();
        double voxelMl = s.grid().voxelVolumeMm3() / 1000.0;
        double bestScore = 0.35;
        BinaryMask best = null;
        boolean[] solid = new boolean[v.length];
        for (double fr : SEARCH_FRACTIONS) {
            boolean[] m = new boolean[v.length];
            float t = (float) (fr * max);
            for (int i = 0; i < v.length; i++) {
                m[i] = v[i] >= t && !solid[i];
            }
            ConnectedComponents cc = ConnectedComponents.label(new BinaryMask(s.grid(), m), ConnectedComponents.FULL);
            for (int l = 1; l <= cc.count(); l++) {
                double ml = cc.size(l) * voxelMl;
                if (ml < MIN_ML / 4) {
                    continue;
                }
                BinaryMask comp = cc.component(l);
                double score = shellScore(s, comp);
                if (score < SOLID_SCORE) {
                    peel(comp, solid);
                } else if (ml >= MIN_ML && ml <= MAX_ML && score > bestScore) {
                    bestScore = score;
                    best = comp;
                }
            }
        }
        if (best != null) {
            // never peel the LV itself (a bowel loop touching it may have been grown over its wall)
            boolean[] lv = best.data();
            for (int i = 0; i < solid.length; i++) {
                solid[i] &= !lv[i];
            }
        }
        return new Search(best, solid);
    }

    /**
     * Marks a solid component as peeled. A component that grew out of an organ already peeled (it touches it) loses
     * only its voxels near that organ: when the falling threshold joins the heart to a hot liver, the bridge goes and
     * the heart stays, to be found on its own at the next level.
     */
    private static void peel(BinaryMask comp, boolean[] solid) {
        boolean[] c = comp.data();
        boolean touches = false;
        boolean[] near = Morphology.dilate(new BinaryMask(comp.grid(), solid), 1).data();
        for (int i = 0; i < c.length && !touches; i++) {
            touches = c[i] && near[i];
        }
        boolean[] grown;
        if (touches) {
            boolean[] zone = Morphology.dilate(new BinaryMask(comp.grid(), solid), 3).data();
            boolean[] part = new boolean[c.length];
            for (int i = 0; i < c.length; i++) {
                part[i] = c[i] && zone[i];
            }
            grown = Morphology.dilate(new BinaryMask(comp.grid(), part), 1).data();
        } else {
            grown = Morphology.dilate(comp, 2).data();
        }
        for (int i = 0; i < solid.length; i++) {
            solid[i] |= grown[i];
        }
    }

    /** 1 - (counts at the centroid / component peak): high for a cup around a cold cavity, low for a solid organ. */
    static double shellScore(Volume s, BinaryMask comp) {
        double[] c = comp.centroidVoxel();
        Grid g = s.grid();
        int x = (int) Math.round(c[0]), y = (int) Math.round(c[1]), z = (int) Math.round(c[2]);
        if (!g.contains(x, y, z) || comp.get(x, y, z)) {
            return 0;
        }
        float peak = 0;
        float[] v = s.data();
        boolean[] m = comp.data();
        for (int i = 0; i < v.length; i++) {
            if (m[i]) {
                peak = Math.max(peak, v[i]);
            }
        }
        return 1 - s.get(x, y, z) / peak;
    }

    private static BinaryMask regionAt(Volume s, BinaryMask lv, boolean[] solid, float peak, double f) {
        BinaryMask m = s.threshold((float) (f * peak));
        boolean[] md = m.data();
        for (int i = 0; i < md.length; i++) {
            md[i] &= !solid[i];
        }
        ConnectedComponents cc = ConnectedComponents.label(m, ConnectedComponents.FULL);
        int[] labels = cc.labels();
        boolean[] lvData = lv.data();
        int[] overlap = new int[cc.count() + 1];
        for (int i = 0; i < labels.length; i++) {
            if (lvData[i] && labels[i] != 0) {
                overlap[labels[i]]++;
            }
        }
        int best = 0;
        for (int l = 1; l < overlap.length; l++) {
            if (overlap[l] > overlap[best]) {
                best = l;
            }
        }
        return best == 0 ? BinaryMask.empty(s.grid()) : cc.component(best);
    }
}

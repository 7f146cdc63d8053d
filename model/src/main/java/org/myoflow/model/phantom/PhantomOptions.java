package org.myoflow.model.phantom;

/**
 * What kind of study to simulate.
 *
 * @param extracardiac how strong liver and bowel activity is, relative to normal myocardial uptake
 * @param defects number of perfusion defects (0 to 3): regions of the myocardium with reduced uptake
 * @param psfFwhmMm the camera's resolution (FWHM, mm) for every case, or null to draw it per case (12-16 mm, as across
 *     scanners); one fixed value simulates a single camera. The draw happens either way, so a seed gives the same
 *     anatomy and uptakes with or without it
 */
public record PhantomOptions(Extracardiac extracardiac, int defects, Double psfFwhmMm) {

    /** Extracardiac (liver, bowel) uptake relative to the myocardium's 1.0. */
    public enum Extracardiac {
        /** Liver 0.15-0.5, bowel 0.1-0.4: a clean rest study. */
        LOW(0.15, 0.5, 0.1, 0.4),
        /** Liver 0.6-1.4, bowel 0.5-1.5: hot subdiaphragmatic activity, often brighter than the heart. */
        HIGH(0.6, 1.4, 0.5, 1.5);

        final double liverMin, liverMax, bowelMin, bowelMax;

        Extracardiac(double liverMin, double liverMax, double bowelMin, double bowelMax) {
            this.liverMin = liverMin;
            this.liverMax = liverMax;
            this.bowelMin = bowelMin;
            this.bowelMax = bowelMax;
        }
    }

    public PhantomOptions {
        if (defects < 0 || defects > 3) {
            throw new IllegalArgumentException("defects must be 0..3, got " + defects);
        }
        if (psfFwhmMm != null && !(psfFwhmMm > 0 && psfFwhmMm < 50)) {
            throw new IllegalArgumentException("PSF FWHM must be in (0, 50) mm, got " + psfFwhmMm);
        }
    }

    public PhantomOptions(Extracardiac extracardiac, int defects) {
        this(extracardiac, defects, null);
    }

    /** The same kind of study seen by one camera of this resolution (null: drawn per case). */
    public PhantomOptions withPsfFwhm(Double fwhmMm) {
        return new PhantomOptions(extracardiac, defects, fwhmMm);
    }

    /** Normal perfusion, low extracardiac activity. */
    public static PhantomOptions normal() {
        return new PhantomOptions(Extracardiac.LOW, 0);
    }

    /** Hot liver and bowel with one or two perfusion defects: the hard cases. */
    public static PhantomOptions challenging(int defects) {
        return new PhantomOptions(Extracardiac.HIGH, defects);
    }

    /** Alternates normal and challenging cases by seed, for mixed training and demo sets. */
    public static PhantomOptions mixed(long seed) {
        return Math.floorMod(seed, 2) == 0 ? normal() : challenging(1 + (int) Math.floorMod(seed / 2, 2L));
    }

    public String label() {
        return extracardiac == Extracardiac.LOW && defects == 0 ? "normal"
                : extracardiac.name().toLowerCase() + "-extracardiac" + (defects > 0 ? "+" + defects + "-defect" : "");
    }
}

package org.myoflow.model.phantom;

import java.util.List;

/**
 * Every value the generator drew for one phantom, so a case can be explained and regenerated. Lengths in mm,
 * directions as unit vectors in RAS+ patient coordinates, uptakes relative to normal myocardium (1.0).
 */
public record PhantomParameters(
        long seed,
        String scenario,
        int[] dims,
        double[] voxelMm,
        double[] lvCentre,
        double[] apexDirection,
        double endocardialRadius,
        double endocardialHalfLength,
        double wallThickness,
        double baseCut,
        double bloodPool,
        double rvUptake,
        double liverUptake,
        List<Double> bowelUptakes,
        List<Defect> defects,
        double bodyBackground,
        double psfFwhmMm,
        double peakCounts) {

    /**
     * A perfusion defect: the myocardium within {@code halfWidthDeg} of azimuth {@code azimuthDeg} around the long
     * axis, between fractions {@code fromApex..toApex} of the way from apex to base, keeps {@code 1 - severity} of its
     * uptake.
     */
    public record Defect(double azimuthDeg, double halfWidthDeg, double fromApex, double toApex, double severity) {
    }
}
